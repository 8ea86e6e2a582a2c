import { EntityManager, In } from 'typeorm';
import { DomainError, ErrorCode, invariant } from '../common/domain-error';
import { DuplicateOperationError } from '../common/idempotency';
import { MAX_AMOUNT_MICROS, sqlInteger } from '../common/money';
import { AccountEntity } from '../accounts/entities/account.entity';
import { isUniqueViolation } from '../database/transaction-runner';
import { OutboxService } from '../notifications/outbox.service';
import { Topic } from '../notifications/topics';
import { AccountBalances, totalMicros } from './balances';
import { AccountMovementEntity } from './entities/account-movement.entity';
import { LedgerEntryEntity } from './entities/ledger-entry.entity';
import { LedgerTransactionEntity } from './entities/ledger-transaction.entity';
import { WalletEntity } from './entities/wallet.entity';
import {
  CreditMovementType,
  LedgerTransactionType,
  SYSTEM_ACCOUNT_ID,
  SYSTEM_WALLET_KINDS,
  WalletFloor,
  WalletKind,
} from './ledger.enums';

export interface PostingLeg {
  accountId: string;
  walletKind: WalletKind;
  /** Signed micro-credits: positive credits the wallet, negative debits it. */
  amountMicros: bigint;
  /** Defaults to ZERO for account wallets and NONE for system wallets. */
  floor?: WalletFloor;
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
   * Back-dates the posting instead of taking the clock. Only for tests, seeds and backfills, which
   * must post each account's movements in time order: "the last movement before T is the balance
   * at T" holds only while an account's movements are in both id and time order.
   */
  occurredAt?: Date;
}

/** A projection kept in step with the ledger, written in the posting's own database transaction. */
export interface PostingProjection {
  record(manager: EntityManager, posting: { request: PostingRequest; movements: AccountMovementEntity[] }): Promise<void>;
}

export interface PostingResult {
  transaction: LedgerTransactionEntity;
  /** Balances after the posting of every non-system account it touched. */
  balances: Map<string, AccountBalances>;
  movements: AccountMovementEntity[];
}

/** How many legs one posting may have: a usage batch touches at most a few wallets per event. */
const MAX_LEGS = 64;

/**
 * The double-entry ledger. Every change of any balance goes through `post`, inside the caller's
 * database transaction, so the business state change (a top-up's status, a transfer record) and
 * its money movement commit or roll back together.
 */
export class LedgerService {
  /** Wallet ids never change once created, so the mapping is cached for the process's life. */
  private readonly walletIds = new Map<string, number>();

  constructor(
    private readonly outbox: OutboxService,
    /** Read models that must never lag the entries, e.g. the reports' hourly rollup. */
    private readonly projections: readonly PostingProjection[] = [],
  ) {}

  async post(manager: EntityManager, request: PostingRequest): Promise<PostingResult> {
    assertBalancedLegs(request.legs);
    const transaction = await this.insertTransaction(manager, request);
    const legs = await this.resolveWallets(manager, request.legs);

    // Every wallet of every account involved is locked (and read) first, not only the ones that
    // change: the history row and the notification carry the account's other balance too, and it
    // must not move under us (a grant racing a transfer on the same account).
    const accountIds = [...new Set(request.legs.map((leg) => leg.accountId).filter((id) => id !== SYSTEM_ACCOUNT_ID))];
    const accountWallets = await readAccountWalletsForUpdate(manager, accountIds);
    const topUpBefore = new Map(accountWallets.filter((wallet) => wallet.kind === WalletKind.TOPUP).map((wallet) => [wallet.accountId, wallet.balanceMicros]));

    // Lock order: account wallets by id, then the (hot) system wallets last, so two postings never
    // wait on each other in opposite orders and system rows are held for the shortest time.
    const ordered = [...legs.values()].sort(
      (a, b) => Number(a.leg.accountId === SYSTEM_ACCOUNT_ID) - Number(b.leg.accountId === SYSTEM_ACCOUNT_ID) || a.walletId - b.walletId,
    );
    for (const { walletId, leg } of ordered) {
      await this.applyToWallet(manager, walletId, leg);
    }

    // Taken after the wallet rows are locked: a later posting on the same account cannot get an
    // earlier timestamp, so "last movement before T" is the balance at T.
    const now = request.occurredAt ?? new Date();
    // The account wallets are locked, so their balances after are exact arithmetic; only the system
    // wallets this posting touched are read back.
    const deltaByWalletId = new Map([...legs.values()].map(({ walletId, leg }) => [walletId, leg.amountMicros]));
    for (const wallet of accountWallets) wallet.balanceMicros += deltaByWalletId.get(wallet.id) ?? 0n;
    const systemWalletIds = [...legs.values()].filter(({ leg }) => leg.accountId === SYSTEM_ACCOUNT_ID).map(({ walletId }) => walletId);
    const walletRows = systemWalletIds.length
      ? [...accountWallets, ...(await manager.find(WalletEntity, { where: { id: In(systemWalletIds) } }))]
      : accountWallets;
    const balanceByWalletId = new Map(walletRows.map((wallet) => [wallet.id, wallet.balanceMicros]));

    await manager.insert(
      LedgerEntryEntity,
      [...legs.values()].map(({ walletId, leg }) => ({
        transactionId: transaction.id,
        walletId,
        accountId: leg.accountId,
        amountMicros: leg.amountMicros,
        balanceAfterMicros: balanceByWalletId.get(walletId)!,
        createdAt: now,
      })),
    );

    const balances = balancesOfAccounts(walletRows);
    for (const { walletId, leg } of legs.values()) {
      if (leg.amountMicros < 0n && (leg.floor ?? defaultFloor(leg)) === WalletFloor.ZERO) {
        invariant(balanceByWalletId.get(walletId)! >= 0n, `wallet ${leg.accountId}/${leg.walletKind} stays at or above zero`);
      }
    }
    const movements = await this.writeMovements(manager, { transaction, request, balances, occurredAt: now });
    for (const projection of this.projections) await projection.record(manager, { request, movements });
    await this.updateDepletionFlags(manager, balances, topUpBefore);
    transaction.createdAt = now;
    return { transaction, balances, movements };
  }

  /**
   * An account whose top-up balance is below zero (usage overdrew it, or a refund took back
   * credits already spent) is flagged depleted, and the platform is told so it can suspend
   * resources; the flag clears when credits bring the balance back to zero or more.
   */
  private async updateDepletionFlags(
    manager: EntityManager,
    balances: Map<string, AccountBalances>,
    topUpBefore: Map<string, bigint>,
  ): Promise<void> {
    for (const balance of balances.values()) {
      const depleted = balance.topUpMicros < 0n;
      // Every posting keeps the flag equal to "top-up balance below zero", so it only needs writing
      // when this posting crossed zero.
      if ((topUpBefore.get(balance.accountId)! < 0n) === depleted) continue;
      await manager.createQueryBuilder().update(AccountEntity).set({ depleted }).where('id = :id', { id: balance.accountId }).execute();
      if (depleted) {
        await this.outbox.add(manager, [
          {
            topic: Topic.ACCOUNT_DEPLETED,
            key: balance.accountId,
            payload: { accountId: balance.accountId, topUpMicros: balance.topUpMicros.toString(), totalMicros: totalMicros(balance).toString() },
          },
        ]);
      }
    }
  }

  /** Creates an account's wallets at zero; called in the transaction that creates the account. */
  async createWallets(manager: EntityManager, accountId: string, kinds: readonly WalletKind[]): Promise<void> {
    await manager.insert(
      WalletEntity,
      kinds.map((kind) => ({ accountId, kind, balanceMicros: 0n })),
    );
  }

  async ensureSystemWallets(manager: EntityManager): Promise<void> {
    const existing = await manager.find(WalletEntity, { where: { accountId: SYSTEM_ACCOUNT_ID } });
    const missing = SYSTEM_WALLET_KINDS.filter((kind) => !existing.some((wallet) => wallet.kind === kind));
    if (missing.length > 0) await this.createWallets(manager, SYSTEM_ACCOUNT_ID, missing);
  }

  async findTransactionByKey(manager: EntityManager, idempotencyKey: string): Promise<LedgerTransactionEntity | null> {
    return manager.findOne(LedgerTransactionEntity, { where: { idempotencyKey } });
  }

  private async insertTransaction(manager: EntityManager, request: PostingRequest): Promise<LedgerTransactionEntity> {
    const transaction = manager.create(LedgerTransactionEntity, {
      type: request.type,
      idempotencyKey: request.idempotencyKey,
      requestHash: request.requestHash ?? null,
      reference: request.reference ?? null,
      description: request.description ?? null,
      createdAt: request.occurredAt ?? new Date(),
    });
    try {
      await manager.insert(LedgerTransactionEntity, transaction);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateOperationError(request.idempotencyKey);
      throw error;
    }
    invariant(typeof transaction.id === 'number', 'inserted transaction has an id');
    return transaction;
  }

  /** Sums legs per wallet and looks up each wallet's id. */
  private async resolveWallets(manager: EntityManager, legs: PostingLeg[]) {
    const merged = new Map<string, { walletId: number; leg: PostingLeg }>();
    const missing: PostingLeg[] = [];
    for (const leg of legs) {
      const key = walletKey(leg);
      const earlier = merged.get(key);
      if (earlier) {
        earlier.leg = { ...earlier.leg, amountMicros: earlier.leg.amountMicros + leg.amountMicros };
        continue;
      }
      merged.set(key, { walletId: this.walletIds.get(key) ?? 0, leg });
      if (!this.walletIds.has(key)) missing.push(leg);
    }
    if (missing.length > 0) {
      const rows = await manager.find(WalletEntity, {
        select: { id: true, accountId: true, kind: true },
        where: { accountId: In([...new Set(missing.map((leg) => leg.accountId))]) },
      });
      for (const row of rows) this.walletIds.set(walletKey({ accountId: row.accountId, walletKind: row.kind }), row.id);
      for (const leg of missing) {
        const walletId = this.walletIds.get(walletKey(leg));
        invariant(walletId !== undefined, `wallet ${leg.accountId}/${leg.walletKind} exists`);
        merged.get(walletKey(leg))!.walletId = walletId;
      }
    }
    return merged;
  }

  /**
   * The atomic conditional update that keeps a ZERO-floor wallet from going negative however many
   * postings race: the row lock serialises them and the condition is checked against the
   * committed balance, never a value read earlier.
   */
  private async applyToWallet(manager: EntityManager, walletId: number, leg: PostingLeg): Promise<void> {
    if (leg.amountMicros === 0n) return;
    const delta = sqlInteger(leg.amountMicros);
    const query = manager
      .createQueryBuilder()
      .update(WalletEntity)
      .set({ balanceMicros: () => `balanceMicros + (${delta})` })
      .where('id = :walletId', { walletId });
    if (leg.amountMicros < 0n && (leg.floor ?? defaultFloor(leg)) === WalletFloor.ZERO) {
      query.andWhere(`balanceMicros + (${delta}) >= 0`);
    }
    const { affected } = await query.execute();
    if (affected === 0) {
      throw new DomainError(ErrorCode.INSUFFICIENT_CREDITS, 'The balance is too low for this amount.', {
        accountId: leg.accountId,
      });
    }
    invariant(affected === 1, `exactly one wallet row updated (got ${affected})`);
  }

  private async writeMovements(
    manager: EntityManager,
    context: {
      transaction: LedgerTransactionEntity;
      request: PostingRequest;
      balances: Map<string, AccountBalances>;
      occurredAt: Date;
    },
  ): Promise<AccountMovementEntity[]> {
    const { transaction, request, balances, occurredAt } = context;
    const netByAccount = new Map<string, bigint>();
    for (const leg of request.legs) {
      if (leg.accountId === SYSTEM_ACCOUNT_ID) continue;
      netByAccount.set(leg.accountId, (netByAccount.get(leg.accountId) ?? 0n) + leg.amountMicros);
    }
    const accountIds = [...netByAccount.keys()];
    const movements = accountIds.map((accountId) => {
      const net = netByAccount.get(accountId)!;
      const after = balances.get(accountId)!;
      const others = accountIds.filter((other) => other !== accountId);
      return manager.create(AccountMovementEntity, {
        accountId,
        transactionId: transaction.id,
        type: movementType(request.type, net),
        amountMicros: net,
        topUpBalanceAfterMicros: after.topUpMicros,
        promotionalBalanceAfterMicros: after.promotionalMicros,
        counterpartyAccountId: others.length === 1 ? others[0] : null,
        reference: request.reference ?? null,
        description: request.description ?? null,
        occurredAt,
      });
    });
    if (movements.length === 0) return movements;
    await manager.insert(AccountMovementEntity, movements);
    await this.outbox.add(
      manager,
      movements.map((movement) => ({
        topic: Topic.BALANCE_CHANGED,
        key: movement.accountId,
        payload: {
          accountId: movement.accountId,
          topUpMicros: movement.topUpBalanceAfterMicros.toString(),
          promotionalMicros: movement.promotionalBalanceAfterMicros.toString(),
          totalMicros: totalMicros(balances.get(movement.accountId)!).toString(),
          movementType: movement.type,
          amountMicros: movement.amountMicros.toString(),
          occurredAt: occurredAt.toISOString(),
        },
      })),
    );
    return movements;
  }
}

/**
 * All wallets of the given accounts with their balances, locked in id order on MySQL/MariaDB.
 * SQLite needs no lock: the TransactionRunner already runs one unit of work at a time there.
 */
async function readAccountWalletsForUpdate(manager: EntityManager, accountIds: string[]): Promise<WalletEntity[]> {
  if (accountIds.length === 0) return [];
  const query = manager
    .createQueryBuilder(WalletEntity, 'wallet')
    .where('wallet.accountId IN (:...accountIds)', { accountIds })
    .orderBy('wallet.id');
  if (manager.dataSource.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
  return query.getMany();
}

/** Entries of a transaction sum to zero; each is non-zero and bounded. Checked before any write. */
export function assertBalancedLegs(legs: PostingLeg[]): void {
  invariant(legs.length >= 2 && legs.length <= MAX_LEGS, `a posting has 2 to ${MAX_LEGS} legs`);
  let sum = 0n;
  for (const leg of legs) {
    invariant(typeof leg.amountMicros === 'bigint', 'amounts are bigint');
    invariant(leg.amountMicros !== 0n, 'no zero legs');
    invariant(leg.amountMicros <= MAX_AMOUNT_MICROS * 2n && leg.amountMicros >= -MAX_AMOUNT_MICROS * 2n, 'leg is bounded');
    sum += leg.amountMicros;
  }
  invariant(sum === 0n, `entries sum to zero (sum ${sum})`);
}

export function balancesOfAccounts(wallets: WalletEntity[]): Map<string, AccountBalances> {
  const balances = new Map<string, AccountBalances>();
  for (const wallet of wallets) {
    if (wallet.accountId === SYSTEM_ACCOUNT_ID) continue;
    const entry = balances.get(wallet.accountId) ?? { accountId: wallet.accountId, topUpMicros: 0n, promotionalMicros: 0n };
    if (wallet.kind === WalletKind.TOPUP) entry.topUpMicros = wallet.balanceMicros;
    if (wallet.kind === WalletKind.PROMOTIONAL) entry.promotionalMicros = wallet.balanceMicros;
    balances.set(wallet.accountId, entry);
  }
  return balances;
}

function movementType(type: LedgerTransactionType, netMicros: bigint): CreditMovementType {
  if (type === LedgerTransactionType.TRANSFER) {
    return netMicros < 0n ? CreditMovementType.TRANSFER_OUT : CreditMovementType.TRANSFER_IN;
  }
  return MOVEMENT_TYPE_OF_TRANSACTION[type];
}

const MOVEMENT_TYPE_OF_TRANSACTION: Record<Exclude<LedgerTransactionType, LedgerTransactionType.TRANSFER>, CreditMovementType> = {
  [LedgerTransactionType.TOP_UP]: CreditMovementType.TOP_UP,
  [LedgerTransactionType.TOP_UP_REVERSAL]: CreditMovementType.TOP_UP_REVERSAL,
  [LedgerTransactionType.USAGE]: CreditMovementType.USAGE,
  [LedgerTransactionType.PROMOTIONAL_GRANT]: CreditMovementType.PROMOTIONAL_GRANT,
  [LedgerTransactionType.PROMOTIONAL_EXPIRY]: CreditMovementType.PROMOTIONAL_EXPIRY,
};

function defaultFloor(leg: PostingLeg): WalletFloor {
  return leg.accountId === SYSTEM_ACCOUNT_ID ? WalletFloor.NONE : WalletFloor.ZERO;
}

function walletKey(leg: Pick<PostingLeg, 'accountId' | 'walletKind'>): string {
  return `${leg.accountId}:${leg.walletKind}`;
}
