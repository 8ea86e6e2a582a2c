import type { Logger } from '../common/logger';
import { DuplicateOperationError } from '../common/idempotency';
import type { TransactionRunner } from '../database/transaction-runner';
import { PromotionalGrantEntity } from './entities/promotional-grant.entity';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';
import { lockedForUpdate } from '../database/dialect';

/** How many due grants the job expires per query. */
const JOB_BATCH_SIZE = 100;
/** The per-process "nothing due here" cache forgets everything past this many accounts. */
const MAX_CACHED_ACCOUNTS = 10_000;

export interface ExpiryOptions {
  /**
   * How long a check that found nothing due for an account is trusted (never past that account's
   * next expiry). 0 checks on every read.
   */
  checkCacheMs: number;
}

/**
 * Moves the unused remainder of expired promotional grants out of the account's PROMOTIONAL wallet
 * into the platform's EXPIRY wallet, one ledger transaction per grant keyed `expiry:<grantId>`.
 * Runs on a timer and, lazily, right before a read that shows promotional credits, so a balance
 * never includes credits that have expired even when the job is late. Several processes may run
 * it at once: the grant row is locked first and the ledger key is unique, so each grant expires
 * exactly once.
 */
export class ExpiryService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** accountId → until when (ms since epoch) the account is known to have nothing due. */
  private readonly nothingDueUntil = new Map<string, number>();

  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly logger: Logger,
    private readonly options: ExpiryOptions,
  ) {}

  /** Expires one grant if it is due and has something left; returns the micro-credits moved. */
  async expireGrant(grantId: number): Promise<bigint> {
    try {
      return await this.runner.transaction(async (manager) => {
        const grant = await lockedForUpdate(
          manager.createQueryBuilder(PromotionalGrantEntity, 'promotion').where('promotion.id = :grantId', { grantId }),
        ).getOne();
        const now = new Date();
        if (!grant || grant.remainingMicros <= 0n || !grant.expiresAt || grant.expiresAt > now) return 0n;
        await this.ledger.post(manager, {
          type: LedgerTransactionType.PROMOTIONAL_EXPIRY,
          idempotencyKey: `expiry:${grant.id}`,
          reference: `grant:${grant.id}`,
          description: `Expired unused promotional credits: ${grant.reason}`.slice(0, 255),
          legs: [
            { accountId: grant.accountId, walletKind: WalletKind.PROMOTIONAL, amountMicros: -grant.remainingMicros },
            { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.EXPIRY, amountMicros: grant.remainingMicros },
          ],
        });
        await manager.update(PromotionalGrantEntity, { id: grant.id }, { remainingMicros: 0n, expiredMicros: grant.remainingMicros });
        return grant.remainingMicros;
      });
    } catch (error) {
      // Another process expired it between our lock wait and our posting.
      if (error instanceof DuplicateOperationError) return 0n;
      throw error;
    }
  }

  /** The job: expires every due grant, oldest expiry first. Returns how many grants it expired. */
  async expireDueGrants(): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.runner.read((manager) =>
        manager
          .createQueryBuilder(PromotionalGrantEntity, 'promotion')
          .select(['promotion.id'])
          .where('promotion.expiresAt <= :now', { now: new Date() })
          .andWhere('promotion.remainingMicros > 0')
          .orderBy('promotion.expiresAt', 'ASC')
          .addOrderBy('promotion.id', 'ASC')
          .take(JOB_BATCH_SIZE)
          .getMany(),
      );
      let expiredNow = 0;
      for (const { id } of due) {
        if ((await this.expireGrant(id)) > 0n) expiredNow++;
      }
      expired += expiredNow;
      // A round that expired nothing (another process took the batch) ends this run; the next tick
      // goes on. It also keeps a grant that cannot be expired from looping the job forever.
      if (due.length < JOB_BATCH_SIZE || expiredNow === 0) return expired;
    }
  }

  /**
   * The lazy path, before reading balances, history or recording usage: one indexed query
   * (promotional_grant(accountId, expiresAt)) for the accounts' pending expiring grants, and the
   * ledger work only for those already due.
   */
  async expireDueGrantsOf(accountIds: readonly string[]): Promise<void> {
    const now = Date.now();
    const toCheck = [...new Set(accountIds)].filter((id) => (this.nothingDueUntil.get(id) ?? 0) <= now);
    if (toCheck.length === 0) return;
    const pending = await this.runner.read((manager) =>
      manager
        .createQueryBuilder(PromotionalGrantEntity, 'promotion')
        .select(['promotion.id', 'promotion.accountId', 'promotion.expiresAt'])
        .where('promotion.accountId IN (:...accountIds)', { accountIds: toCheck })
        .andWhere('promotion.expiresAt IS NOT NULL')
        .andWhere('promotion.remainingMicros > 0')
        .getMany(),
    );
    const due = pending.filter((grant) => grant.expiresAt!.getTime() <= now);
    let failed = false;
    for (const grant of due) {
      try {
        await this.expireGrant(grant.id);
      } catch (error) {
        // The read goes on (consumption skips expired grants anyway); the job retries the grant.
        failed = true;
        this.logger.error({ err: error, grantId: grant.id }, 'lazy promotional expiry failed');
      }
    }
    if (!failed) this.remember(toCheck, pending, now);
  }

  /**
   * Forgets what this process remembered of an account: one of its grants' expiry changed, and may
   * now come before the remembered "nothing due until". Other processes remember for at most
   * `checkCacheMs`, and usage never draws a grant past its expiry whatever is remembered.
   */
  forget(accountId: string): void {
    this.nothingDueUntil.delete(accountId);
  }

  private remember(accountIds: string[], pending: PromotionalGrantEntity[], now: number): void {
    if (this.options.checkCacheMs <= 0) return;
    if (this.nothingDueUntil.size > MAX_CACHED_ACCOUNTS) this.nothingDueUntil.clear();
    for (const accountId of accountIds) {
      const nextExpiry = pending
        .filter((grant) => grant.accountId === accountId && grant.expiresAt!.getTime() > now)
        .reduce((soonest, grant) => Math.min(soonest, grant.expiresAt!.getTime()), Number.POSITIVE_INFINITY);
      this.nothingDueUntil.set(accountId, Math.min(now + this.options.checkCacheMs, nextExpiry));
    }
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run of the job unless one is still going; failures are logged and retried next tick. */
  runOnce(): Promise<unknown> {
    this.running ??= this.expireDueGrants()
      .then((count) => {
        if (count > 0) this.logger.info({ count }, 'expired promotional grants');
      })
      // A database outage is already one line of its own (src/common/dependency-outages.ts).
      .catch((error) => {
        if (!this.runner.outages.explains(error)) this.logger.error({ err: error }, 'promotional expiry job failed; will retry');
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
