import type { EntityManager } from 'typeorm';
import { fixedClock } from '../../src/common/clock';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { PromotionalGrantEntity } from '../../src/promotions/entities/promotional-grant.entity';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletFloor, WalletKind } from '../../src/ledger/ledger.enums';
import type { PostingLeg } from '../../src/ledger/ledger.service';
import type { TestServer } from './harness';

/**
 * Puts ledger activity at chosen instants through the real LedgerService (its `occurredAt` option),
 * for reports whose periods and days must be crossed on purpose. Each account's activity must be
 * posted in time order, as the option's contract says; postings that race each other pass no
 * instant (`undefined`), so the ledger stamps them after taking its locks, as in production. Promotional grants get their grant rows, and
 * expiry draws them down, so the ledger audit stays clean.
 */
export class LedgerActivity {
  private counter = 0;

  constructor(private readonly server: TestServer) {}

  private async post(request: PostingSpec) {
    const { runner } = this.server.services;
    const posting = await runner.transaction((manager) => this.postIn(manager, request));
    // On SQLite a posting is a chain of microtasks only; yielding to the event loop lets timers
    // (the server's keep-alive) run between postings rather than all at once at the next request.
    await new Promise((resolve) => setImmediate(resolve));
    return posting;
  }

  private async postIn(manager: EntityManager, request: PostingSpec) {
    const key = `report-test:${process.pid}:${++this.counter}:${Math.random().toString(36).slice(2)}`;
    const { ledger } = this.server.services;
    const posting = await (request.at ? ledger.withClock(fixedClock(request.at)) : ledger).post(manager, {
      type: request.type,
      idempotencyKey: key,
      reference: request.reference ?? key,
      legs: request.legs,
      service: request.service,
    });
    if (request.type === LedgerTransactionType.PROMOTIONAL_GRANT) {
      const leg = request.legs.find((candidate) => candidate.accountId !== SYSTEM_ACCOUNT_ID)!;
      await manager.insert(PromotionalGrantEntity, {
        accountId: leg.accountId,
        transactionId: posting.transaction.id,
        amountMicros: leg.amountMicros,
        remainingMicros: leg.amountMicros,
        expiresAt: null,
        reason: 'report test',
        createdAt: posting.transaction.createdAt,
      });
    }
    return posting;
  }

  topUp(accountId: string, amountMicros: bigint, at: Date | undefined, reference?: string) {
    return this.fromClearing(LedgerTransactionType.TOP_UP, accountId, amountMicros, at, reference);
  }

  reverseTopUp(accountId: string, amountMicros: bigint, at: Date | undefined) {
    return this.post({
      type: LedgerTransactionType.TOP_UP_REVERSAL,
      at,
      legs: [
        { accountId, walletKind: WalletKind.TOPUP, amountMicros: -amountMicros },
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros },
      ],
    });
  }

  /** A dispute won gives back what a reversal took (the payment events' DISPUTE_WON posting). */
  disputeWon(accountId: string, amountMicros: bigint, at: Date | undefined, reference?: string) {
    return this.fromClearing(LedgerTransactionType.DISPUTE_WON, accountId, amountMicros, at, reference);
  }

  /** Payment clearing → the account's top-up wallet: a purchase, or a dispute won. */
  private fromClearing(type: LedgerTransactionType, accountId: string, amountMicros: bigint, at: Date | undefined, reference?: string) {
    return this.post({
      type,
      at,
      reference,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -amountMicros },
        { accountId, walletKind: WalletKind.TOPUP, amountMicros },
      ],
    });
  }

  /** The platform admin's signed adjustment of a top-up wallet (no floor, as adjustBalance posts it). */
  adjustTopUp(accountId: string, amountMicros: bigint, at: Date | undefined) {
    return this.post({
      type: LedgerTransactionType.ADJUSTMENT,
      at,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.CORRECTIONS, amountMicros: -amountMicros },
        { accountId, walletKind: WalletKind.TOPUP, amountMicros, floor: WalletFloor.NONE },
      ],
    });
  }

  transfer(partnerId: string, customerId: string, amountMicros: bigint, at: Date | undefined, reference?: string) {
    return this.post({
      type: LedgerTransactionType.TRANSFER,
      at,
      reference,
      legs: [
        { accountId: partnerId, walletKind: WalletKind.TOPUP, amountMicros: -amountMicros },
        { accountId: customerId, walletKind: WalletKind.TOPUP, amountMicros },
      ],
    });
  }

  /** A partner takes credits back from its customer's top-up wallet (never below zero, as `reclaimCredits`). */
  reclaim(partnerId: string, customerId: string, amountMicros: bigint, at: Date | undefined, reference?: string) {
    return this.post({
      type: LedgerTransactionType.RECLAIM,
      at,
      reference,
      legs: [
        { accountId: customerId, walletKind: WalletKind.TOPUP, amountMicros: -amountMicros, floor: WalletFloor.ZERO },
        { accountId: partnerId, walletKind: WalletKind.TOPUP, amountMicros },
      ],
    });
  }

  /** Many transfers in one database transaction, in the order given. */
  async transferBatch(partnerId: string, customerId: string, transfers: { amountMicros: bigint; at: Date; reference: string }[]) {
    await this.server.services.runner.transaction(async (manager) => {
      for (const { amountMicros, at, reference } of transfers) {
        await this.postIn(manager, {
          type: LedgerTransactionType.TRANSFER,
          at,
          reference,
          legs: [
            { accountId: partnerId, walletKind: WalletKind.TOPUP, amountMicros: -amountMicros },
            { accountId: customerId, walletKind: WalletKind.TOPUP, amountMicros },
          ],
        });
      }
    });
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Usage from the top-up wallet only (it may overdraw, as real usage may). */
  usage(accountId: string, amountMicros: bigint, at: Date | undefined, service?: string) {
    return this.post(usageSpec({ accountId, amountMicros, at, service }));
  }

  /** Many usage postings in one database transaction (as the usage service batches them): fast on MariaDB. */
  async usageBatch(events: UsageSpec[]) {
    await this.server.services.runner.transaction(async (manager) => {
      for (const event of events) await this.postIn(manager, usageSpec(event));
    });
    await new Promise((resolve) => setImmediate(resolve));
  }

  grant(accountId: string, amountMicros: bigint, at: Date | undefined) {
    return this.post({
      type: LedgerTransactionType.PROMOTIONAL_GRANT,
      at,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PROMOTIONS, amountMicros: -amountMicros },
        { accountId, walletKind: WalletKind.PROMOTIONAL, amountMicros },
      ],
    });
  }

  /** Expires up to `amountMicros` of the account's grants; returns what expired (0n when nothing could). */
  async expire(accountId: string, amountMicros: bigint, at: Date): Promise<bigint> {
    const grant = await this.server.services.runner.read((manager) =>
      manager.createQueryBuilder(PromotionalGrantEntity, 'grant').where('grant.accountId = :accountId AND grant.remainingMicros > 0', { accountId }).getOne(),
    );
    if (!grant) return 0n;
    const expired = amountMicros < grant.remainingMicros ? amountMicros : grant.remainingMicros;
    await this.server.services.runner.transaction(async (manager) => {
      await manager.update(PromotionalGrantEntity, { id: grant.id }, { remainingMicros: grant.remainingMicros - expired });
      const key = `report-test-expiry:${process.pid}:${++this.counter}:${Math.random().toString(36).slice(2)}`;
      await this.server.services.ledger.withClock(fixedClock(at)).post(manager, {
        type: LedgerTransactionType.PROMOTIONAL_EXPIRY,
        idempotencyKey: key,
        reference: key,
        legs: [
          { accountId, walletKind: WalletKind.PROMOTIONAL, amountMicros: -expired },
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.EXPIRY, amountMicros: expired },
        ],
      });
    });
    return expired;
  }
}

interface PostingSpec {
  type: LedgerTransactionType;
  /** Undefined: the ledger's own clock. */
  at?: Date;
  legs: PostingLeg[];
  service?: string;
  reference?: string;
}

interface UsageSpec {
  accountId: string;
  amountMicros: bigint;
  at?: Date;
  service?: string;
}

const usageSpec = ({ accountId, amountMicros, at, service }: UsageSpec): PostingSpec => ({
  type: LedgerTransactionType.USAGE,
  at,
  service,
  legs: [
    { accountId, walletKind: WalletKind.TOPUP, amountMicros: -amountMicros, floor: WalletFloor.NONE },
    { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.USAGE_REVENUE, amountMicros },
  ],
});

/** True when the posting was refused for a balance that was too low (the ledger's floor). */
export const isInsufficientCredits = (error: unknown) => error instanceof DomainError && error.code === ErrorCode.INSUFFICIENT_CREDITS;

export { seededRandom } from './seeded-random';

/** Reads a CSV body (RFC 4180 quoting) into objects keyed by the header row. */
export function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsvRecords(text);
  return rows.map((row) => Object.fromEntries(header.map((name, column) => [name, row[column]])));
}

/** Reads a CSV body (RFC 4180 quoting) into its records, the header row first. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index++;
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
