import { EntityManager, In } from 'typeorm';
import { AccountKind, AccountStatus } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import { badInput, DomainError, ErrorCode, invariant, notFound } from '../common/domain-error';
import { insertRows } from '../database/bulk-insert';
import { DuplicateOperationError, executeOnceEach, hashRequest, type StoredOperation } from '../common/idempotency';
import { positiveAmountProblem } from '../common/money';
import { requiredText } from '../common/validation';
import { isUniqueViolation, type TransactionRunner } from '../database/transaction-runner';
import { AccountBalances } from '../ledger/balances';
import { LedgerTransactionEntity } from '../ledger/entities/ledger-transaction.entity';
import { WalletEntity } from '../ledger/entities/wallet.entity';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletFloor, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService, PostingLeg, PostingRequest } from '../ledger/ledger.service';
import { applyDraws, ConsumptionPlan, planConsumption, spendableGrantsForUpdate } from '../promotions/consumption';
import type { ExpiryService } from '../promotions/expiry.service';
import { UsageEventEntity } from './entities/usage-event.entity';

export const MAX_USAGE_BATCH = 500;
/** How far ahead of our clock an event may claim to have happened (clock skew). */
const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** How many events share one database transaction (and its commit). */
const EVENTS_PER_TRANSACTION = 50;
const EVENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export interface UsageEventCommand {
  eventId: string;
  accountId: string;
  service: string;
  amountMicros: bigint;
  occurredAt: Date;
}

export enum UsageEventStatus {
  APPLIED = 'APPLIED',
  /** Already applied, by an earlier batch or earlier in this one. */
  DUPLICATE = 'DUPLICATE',
  REFUSED = 'REFUSED',
}

export interface UsageEventOutcome {
  eventId: string;
  status: UsageEventStatus;
  code: ErrorCode | null;
  message: string | null;
  /** For APPLIED: how the amount split, and the balances right after. */
  promotionalMicros: bigint | null;
  topUpMicros: bigint | null;
  balancesAfter: AccountBalances | null;
}

const ledgerKeyOf = (eventId: string) => `usage:${eventId}`;

/**
 * Records the metering service's consumption. Events are applied in batch order, up to
 * EVENTS_PER_TRANSACTION per database transaction, set-wise: one bad or duplicate event
 * never holds back the others, and a batch interrupted halfway is finished by sending it again
 * (the applied events answer DUPLICATE). An account's promotional credits are drawn in the order
 * its usage arrived.
 */
export class UsageService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly expiry: ExpiryService,
  ) {}

  async record(events: UsageEventCommand[]): Promise<UsageEventOutcome[]> {
    if (events.length === 0 || events.length > MAX_USAGE_BATCH) {
      throw badInput(`A batch holds 1 to ${MAX_USAGE_BATCH} events.`, { field: 'events' });
    }
    const { outcomes, accepted } = screenBatch(events);
    if (accepted.length === 0) return outcomes;

    await this.expiry.expireDueGrantsOf(accepted.map(({ event }) => event.accountId));
    const answers = await executeOnceEach({
      operations: accepted,
      findExisting: (keys) => this.storedEvents(keys),
      execute: (fresh) => this.applyInChunks(fresh),
      keyReusedMessage: ({ event }) => `Event ${event.eventId} was already recorded with different data; it is not applied again.`,
    });
    for (const [position, { index, event }] of accepted.entries()) {
      const answer = answers[position];
      if (answer.kind === 'FIRST') outcomes[index] = answer.result;
      else if (answer.kind === 'REPLAY') outcomes[index] = outcome(event.eventId, UsageEventStatus.DUPLICATE);
      else outcomes[index] = refused(event.eventId, answer.error);
    }
    return outcomes;
  }

  /** The events not stored yet, EVENTS_PER_TRANSACTION to a transaction, in batch order. */
  private async applyInChunks(fresh: AcceptedEvent[]): Promise<(UsageEventOutcome | DuplicateOperationError)[]> {
    const results: (UsageEventOutcome | DuplicateOperationError)[] = [];
    for (let start = 0; start < fresh.length; start += EVENTS_PER_TRANSACTION) {
      results.push(...(await this.applyChunk(fresh.slice(start, start + EVENTS_PER_TRANSACTION))));
    }
    return results;
  }

  /**
   * Several events in one database transaction (one commit, the expensive part), applied set-wise
   * at a constant number of statements: the accounts, their spendable grants and the stored keys
   * read once; each event's consumption planned in memory in arrival order against the locked
   * grants; then the ledger's batch posting, one update of the grants drawn and one insert of the
   * usage rows. Every usage posting locks the platform's USAGE_REVENUE wallet, so usage is
   * serialised on that row anyway; taking it first, before any grant or account row, means two
   * chunks never hold account rows in opposite orders. A deadlock or lock timeout makes the runner
   * retry the whole chunk, which is why the outcomes are built inside; a key a concurrent request
   * inserted after our read fails the multi-row insert, and the chunk runs again. A
   * `DuplicateOperationError` stands for an event a concurrent request stored first.
   */
  private async applyChunk(chunk: AcceptedEvent[]): Promise<(UsageEventOutcome | DuplicateOperationError)[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runner.transaction((manager) => this.applyTogether(manager, chunk));
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  private async applyTogether(manager: EntityManager, chunk: AcceptedEvent[]): Promise<(UsageEventOutcome | DuplicateOperationError)[]> {
    const lock = this.runner.dialect === 'mysql';
    if (lock) await lockUsageRevenueWallet(manager);
    const accountIds = [...new Set(chunk.map(({ event }) => event.accountId))];
    const accounts = new Map((await manager.findBy(AccountEntity, { id: In(accountIds) })).map((account) => [account.id, account]));
    const grants = await spendableGrantsForUpdate(manager, { accountIds, now: new Date(), lock });
    const stored = await this.ledger.existingKeys(
      manager,
      chunk.map(({ key }) => key),
    );

    const results: (UsageEventOutcome | DuplicateOperationError)[] = new Array(chunk.length);
    const planned: { position: number; event: UsageEventCommand; plan: ConsumptionPlan; request: PostingRequest }[] = [];
    for (const [position, { key, event, requestHash }] of chunk.entries()) {
      if (stored.has(key)) {
        results[position] = new DuplicateOperationError(key);
        continue;
      }
      const problem = accountProblem(accounts.get(event.accountId), event.accountId);
      if (problem) {
        results[position] = refused(event.eventId, problem);
        continue;
      }
      const plan = planConsumption(
        grants.filter((grant) => grant.accountId === event.accountId),
        event.amountMicros,
      );
      // Later events of the account draw what this one leaves.
      for (const draw of plan.draws) grants.find((grant) => grant.id === draw.grantId)!.remainingMicros -= draw.amountMicros;
      planned.push({ position, event, plan, request: usagePosting(event, requestHash, plan) });
    }
    const postings = await this.ledger.postBatch(
      manager,
      planned.map(({ request }) => request),
      { keysChecked: true },
    );
    const applied: typeof planned = [];
    const rows = [];
    for (const [index, item] of planned.entries()) {
      const posting = postings[index];
      // The promotional legs were planned against the locked grants, and the top-up leg has no
      // floor, so the ledger refuses none of them; a refusal here is a bug.
      invariant(posting.ok, `usage event ${item.event.eventId} is posted`);
      applied.push(item);
      const { event, plan } = item;
      rows.push({
        eventId: event.eventId,
        accountId: event.accountId,
        service: event.service.trim(),
        amountMicros: event.amountMicros,
        promotionalMicros: plan.promotionalMicros,
        topUpMicros: plan.topUpMicros,
        occurredAt: event.occurredAt,
        transactionId: posting.result.transaction.id,
        recordedAt: posting.result.transaction.createdAt,
      });
      results[item.position] = {
        ...outcome(event.eventId, UsageEventStatus.APPLIED),
        promotionalMicros: plan.promotionalMicros,
        topUpMicros: plan.topUpMicros,
        balancesAfter: posting.result.balances.get(event.accountId) ?? null,
      };
    }
    await applyDraws(
      manager,
      applied.flatMap(({ plan }) => plan.draws),
    );
    await insertRows(manager, UsageEventEntity, rows);
    return results;
  }

  /** One statement for the whole batch: the events already in the ledger, with their request hash. */
  private async storedEvents(keys: string[]): Promise<Map<string, StoredOperation<null>>> {
    const rows = await this.runner.read((manager) =>
      manager.find(LedgerTransactionEntity, {
        select: { idempotencyKey: true, requestHash: true },
        where: { idempotencyKey: In(keys) },
      }),
    );
    return new Map(rows.map((row) => [row.idempotencyKey, { requestHash: row.requestHash, result: null }]));
  }
}

/** Usage of a PENDING or SUSPENDED account already happened and is still owed; a CLOSED account has no resources. */
function accountProblem(account: AccountEntity | undefined, accountId: string): DomainError | null {
  if (!account || account.kind === AccountKind.SYSTEM) return notFound(`Account ${accountId}`);
  if (account.status === AccountStatus.CLOSED) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `Account ${account.id} is CLOSED; it cannot record usage.`);
  }
  return null;
}

function usagePosting(event: UsageEventCommand, requestHash: string, plan: ConsumptionPlan): PostingRequest {
  const legs: PostingLeg[] = [{ accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.USAGE_REVENUE, amountMicros: event.amountMicros }];
  if (plan.promotionalMicros > 0n) {
    legs.push({ accountId: event.accountId, walletKind: WalletKind.PROMOTIONAL, amountMicros: -plan.promotionalMicros, floor: WalletFloor.ZERO });
  }
  if (plan.topUpMicros > 0n) {
    // The consumption already happened: it is recorded even when it overdraws (the ledger flags the account depleted).
    legs.push({ accountId: event.accountId, walletKind: WalletKind.TOPUP, amountMicros: -plan.topUpMicros, floor: WalletFloor.NONE });
  }
  return {
    type: LedgerTransactionType.USAGE,
    idempotencyKey: ledgerKeyOf(event.eventId),
    requestHash,
    reference: event.eventId,
    description: event.service.trim(),
    // The reports' rollup breaks usage down by service.
    service: event.service.trim(),
    legs,
  };
}

/** Locks the platform's USAGE_REVENUE wallet row for the rest of the transaction. */
async function lockUsageRevenueWallet(manager: EntityManager): Promise<void> {
  await manager
    .createQueryBuilder(WalletEntity, 'wallet')
    .select(['wallet.id'])
    .where('wallet.accountId = :accountId AND wallet.kind = :kind', { accountId: SYSTEM_ACCOUNT_ID, kind: WalletKind.USAGE_REVENUE })
    .setLock('pessimistic_write')
    .getOne();
}

interface AcceptedEvent {
  /** Position in the batch, where its outcome goes. */
  index: number;
  /** The ledger's idempotency key of the event. */
  key: string;
  event: UsageEventCommand;
  requestHash: string;
}

/**
 * Checks each event on its own, before any database work: malformed events are refused, and a
 * repeated event id within the batch answers DUPLICATE (the first occurrence decides).
 */
function screenBatch(events: UsageEventCommand[]): { outcomes: UsageEventOutcome[]; accepted: AcceptedEvent[] } {
  const outcomes: UsageEventOutcome[] = [];
  const accepted: AcceptedEvent[] = [];
  const seen = new Set<string>();
  for (const [index, event] of events.entries()) {
    const problem = validationProblem(event);
    if (problem) {
      outcomes.push(refused(event.eventId, problem));
      continue;
    }
    if (seen.has(event.eventId)) {
      outcomes.push(outcome(event.eventId, UsageEventStatus.DUPLICATE));
      continue;
    }
    seen.add(event.eventId);
    outcomes.push(outcome(event.eventId, UsageEventStatus.APPLIED));
    accepted.push({ index, key: ledgerKeyOf(event.eventId), event, requestHash: hashRequest({ ...event, service: event.service.trim() }) });
  }
  return { outcomes, accepted };
}

function validationProblem(event: UsageEventCommand): DomainError | null {
  try {
    if (!EVENT_ID_PATTERN.test(event.eventId)) {
      throw badInput('eventId must be 1 to 100 letters, digits, ".", "_", ":" or "-".', { field: 'eventId' });
    }
    requiredText('service', event.service, { max: 64 });
    const amountProblem = positiveAmountProblem(event.amountMicros);
    if (amountProblem) throw badInput(`amount: ${amountProblem}.`, { field: 'amount' });
    if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
      throw badInput('occurredAt must be a date-time.', { field: 'occurredAt' });
    }
    if (event.occurredAt.getTime() > Date.now() + MAX_FUTURE_SKEW_MS) {
      throw badInput('occurredAt is in the future.', { field: 'occurredAt' });
    }
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

function outcome(eventId: string, status: UsageEventStatus): UsageEventOutcome {
  return { eventId, status, code: null, message: null, promotionalMicros: null, topUpMicros: null, balancesAfter: null };
}

function refused(eventId: string, error: DomainError): UsageEventOutcome {
  return { ...outcome(eventId, UsageEventStatus.REFUSED), code: error.code, message: error.message };
}
