import { EntityManager } from 'typeorm';
import { AccountBalances } from './balances';
import { LedgerTransactionEntity } from './entities/ledger-transaction.entity';
import { LedgerTransactionType, WalletFloor, WalletKind } from './ledger.enums';

export interface PostingLeg {
  accountId: string;
  walletKind: WalletKind;
  /** Signed micro-credits: positive credits the wallet, negative debits it. */
  amountMicros: bigint;
  /** Defaults to ZERO for account wallets and NONE for system wallets. */
  floor?: WalletFloor;
  /**
   * With floor ZERO: how far below zero the wallet may go (a partner's credit limit, for its
   * transfers only). Non-negative; 0 when absent.
   */
  overdraftMicros?: bigint;
}

export interface PostingRequest {
  type: LedgerTransactionType;
  /** Names the business event; a second posting with the same key is refused. */
  idempotencyKey: string;
  requestHash?: string | null;
  reference?: string | null;
  description?: string | null;
  legs: PostingLeg[];
  /**
   * For USAGE: the consuming service, kept in the reports' rollup (at most 64 characters; absent or
   * blank is reported as `unknown`). Ignored for other types.
   */
  service?: string | null;
  /**
   * Postings of one `postBatch` that name the same group are posted all together or not at all: if
   * any of them is refused, the others are withdrawn (refused with `GroupWithdrawnError`) and
   * nothing of the group is written. A group's postings are contiguous in the batch.
   */
  allOrNothingGroup?: string;
}

/** How one posting changed one (non-system) account: its net amount and both balances around it. */
export interface AccountChange {
  accountId: string;
  /** Net change of the account's total balance; zero when money only moved between its wallets. */
  netMicros: bigint;
  before: AccountBalances;
  after: AccountBalances;
}

/** A posting the core has written: what projections are told, in the posting's own transaction. */
export interface Posting {
  request: PostingRequest;
  transaction: LedgerTransactionEntity;
  occurredAt: Date;
  /** Every non-system account of the legs, in the order its first leg appears. */
  accounts: AccountChange[];
}

/**
 * A read model or side effect kept in step with the ledger (history rows, balance events, the
 * reports' rollup, the depletion flag). It runs inside the postings' database transaction, after
 * the core has written them, and is given a whole batch at once, so it can write with a constant
 * number of statements however many postings the batch holds. Postings arrive in commit order.
 */
export interface PostingProjection {
  project(manager: EntityManager, postings: readonly Posting[]): Promise<void>;
}

export interface PostingResult {
  transaction: LedgerTransactionEntity;
  /** Balances after the posting of every non-system account it touched. */
  balances: Map<string, AccountBalances>;
}

/** Refuses a posting that fitted but whose all-or-nothing group had another posting refused. */
export class GroupWithdrawnError extends Error {
  constructor(readonly group: string) {
    super(`posting withdrawn: another posting of group ${group} was refused`);
  }
}

/** One request's fate in a batch: posted, or refused alone (insufficient credits, a known key). */
export type PostingOutcome = { ok: true; result: PostingResult } | { ok: false; error: Error };
