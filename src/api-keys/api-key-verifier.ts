import { IsNull, LessThan, Or } from 'typeorm';
import type { ApiKeysConfig } from '../config';
import { API_KEY_SUBJECT_PREFIX, type VerifiedToken } from '../auth/principal';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Logger } from '../common/logger';
import type { TransactionRunner } from '../database/transaction-runner';
import type { NotificationBus } from '../notifications/bus';
import { hashApiKey, parseApiKey, sameHash } from './api-key-format';
import { scopesOf } from './api-keys.service';
import { ApiKeyEntity } from './entities/api-key.entity';

/** `lastUsedAt` is written at most this often per key, not on every request. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;
/** The bus topic on which a process announces a revoked (or rolled) key to the others. */
export const API_KEY_REVOKED_TOPIC = 'API_KEY_REVOKED';
const CACHE_ENTRIES = 10_000;

const refused = () => new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is invalid, expired or revoked.');

interface CachedKey {
  keyId: string;
  verified: VerifiedToken;
  validUntil: number;
}

/**
 * Turns an API key into a principal, for the token verifier (src/auth/jwt.ts): format and checksum
 * first (a typo never reaches the database), then the row by key id, the HMAC compared in constant
 * time, revocation and expiry. A verified key is trusted for API_KEY_RECHECK_MS (10 s by default);
 * a revocation or roll in any process drops it at once in every process sharing the bus (Redis), and
 * in any case within that bound. Keys are cached by their HMAC, never by the key itself.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsedWrites = new Map<string, number>();
  /** Database reads made to verify keys (a test reads it to show that a typo costs none). */
  databaseLookups = 0;
  private listening: AsyncIterator<unknown> | null = null;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly config: ApiKeysConfig,
    private readonly bus: NotificationBus,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Listens for revocations announced by any process (the bus is Redis when several share it). */
  start(): void {
    if (this.listening) return;
    const iterator = this.bus.subscribe(API_KEY_REVOKED_TOPIC, '')[Symbol.asyncIterator]();
    this.listening = iterator;
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const keyId = (next.value as { keyId?: unknown }).keyId;
        if (typeof keyId === 'string') this.forget(keyId);
      }
    })().catch((error) => this.logger.warn({ err: error }, 'API key revocation listener stopped'));
  }

  /**
   * Ends the listener without waiting for the bus: with Redis away, unsubscribing waits for a
   * connection that may never come, and closing the bus afterwards ends the iterator anyway.
   */
  stop(): Promise<void> {
    const listening = this.listening;
    this.listening = null;
    listening?.return?.()?.catch((error: unknown) => this.logger.debug({ err: error }, 'API key revocation listener did not end cleanly'));
    return Promise.resolve();
  }

  /** Drops a key here and tells every other process; the cache bound covers a bus that is away. */
  async announceRevoked(keyId: string): Promise<void> {
    this.forget(keyId);
    try {
      await this.bus.publish(API_KEY_REVOKED_TOPIC, '', { keyId });
    } catch (error) {
      this.logger.warn({ err: error, keyId }, `could not announce an API key revocation; other processes drop it within ${this.config.recheckMs} ms`);
    }
  }

  forget(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.keyId === keyId) this.cache.delete(hash);
  }

  async verify(key: string): Promise<VerifiedToken> {
    const parsed = parseApiKey(key);
    if (!parsed || parsed.environment !== this.config.environment) throw refused();
    const hash = hashApiKey(this.config.pepper, parsed.key);
    const now = this.now();
    const cached = this.cache.get(hash);
    if (cached && now < cached.validUntil) {
      this.touch(parsed.keyId, now);
      return cached.verified;
    }
    this.cache.delete(hash);
    this.databaseLookups += 1;
    const row = await this.runner.read((manager) => manager.findOne(ApiKeyEntity, { where: { id: parsed.keyId } }));
    if (!row || row.revokedAt) throw refused();
    if (row.expiresAt && row.expiresAt.getTime() <= now) throw refused();
    const current = sameHash(row.secretHash, hash);
    const previousUntil = row.previousSecretExpiresAt?.getTime() ?? 0;
    const previous = !current && row.previousSecretHash !== null && now < previousUntil && sameHash(row.previousSecretHash, hash);
    if (!current && !previous) throw refused();
    const verified: VerifiedToken = {
      principal: {
        subject: `${API_KEY_SUBJECT_PREFIX}${row.id}`,
        accountId: row.accountId,
        role: null,
        scopes: [],
        apiKey: { id: row.id, name: row.name, scopes: scopesOf(row) },
      },
      expiresAt: row.expiresAt?.getTime() ?? null,
    };
    const bounds = [now + this.config.recheckMs, row.expiresAt?.getTime() ?? Infinity, previous ? previousUntil : Infinity];
    this.remember(hash, { keyId: row.id, verified, validUntil: Math.min(...bounds) });
    this.touch(row.id, now);
    return verified;
  }

  private remember(hash: string, entry: CachedKey): void {
    if (entry.validUntil <= this.now()) return;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, entry);
  }

  /**
   * Records use at most once a minute per key and process, and the conditional update makes other
   * processes' writes within the same minute no-ops. Not awaited: a request never waits for it.
   */
  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWrites.get(keyId) ?? 0;
    if (now - last < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWrites.set(keyId, now);
    if (this.lastUsedWrites.size > CACHE_ENTRIES) this.lastUsedWrites.delete(this.lastUsedWrites.keys().next().value!);
    const at = new Date(now);
    this.runner
      .transaction((manager) =>
        manager.update(ApiKeyEntity, { id: keyId, lastUsedAt: Or(IsNull(), LessThan(new Date(now - LAST_USED_WRITE_INTERVAL_MS))) }, { lastUsedAt: at }),
      )
      .catch((error) => this.logger.warn({ err: error, keyId }, 'could not record an API key as used'));
  }
}
