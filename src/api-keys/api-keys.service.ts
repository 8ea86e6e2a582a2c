import { IsNull } from 'typeorm';
import type { ApiKeysConfig } from '../config';
import { ApiKeyScope } from '../auth/principal';
import { badInput, notFound } from '../common/domain-error';
import type { TransactionRunner } from '../database/transaction-runner';
import { hashApiKey, newApiKey, newKeyId, VISIBLE_PREFIX_LENGTH } from './api-key-format';
import { ApiKeyEntity } from './entities/api-key.entity';
import type { Actor } from '../audit/actor';
import { AuditAction } from '../audit/audit.enums';
import { recordAudit } from '../audit/audit-recorder';

const MAX_NAME_LENGTH = 100;
/** Keys per account, revoked ones included (a limit on everything). */
export const MAX_API_KEYS_PER_ACCOUNT = 100;
/** The longest overlap a roll may give the old key: a week. */
export const MAX_ROLL_OVERLAP_SECONDS = 7 * 86_400;

/** What a key's creation or roll answers: the row and the key itself, shown this once. */
export interface IssuedApiKey {
  apiKey: ApiKeyEntity;
  secret: string;
}

/** Told when a key stops being valid, so every process drops it from its cache. */
export type RevocationListener = (keyId: string) => Promise<void> | void;

/**
 * Creating, listing, revoking and rolling an account's API keys. Callers authorise first (only the
 * account's OWNER manages keys). The key is answered once and stored only as its HMAC.
 */
export class ApiKeysService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly config: ApiKeysConfig,
    private readonly onRevoked: RevocationListener,
  ) {}

  async create(
    input: { accountId: string; name: string; scopes: ApiKeyScope[]; expiresAt: Date | null; createdBy: string },
    actor: Actor,
  ): Promise<IssuedApiKey> {
    const name = input.name.trim();
    if (!name || name.length > MAX_NAME_LENGTH) throw badInput(`A key's name must be 1 to ${MAX_NAME_LENGTH} characters.`);
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw badInput('A key needs at least one scope.');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badInput('expiresAt must be in the future.');
    const keyId = newKeyId();
    const secret = newApiKey(this.config.environment, keyId);
    const apiKey = await this.runner.transaction(async (manager) => {
      const count = await manager.count(ApiKeyEntity, { where: { accountId: input.accountId } });
      if (count >= MAX_API_KEYS_PER_ACCOUNT) throw badInput(`An account may have at most ${MAX_API_KEYS_PER_ACCOUNT} API keys.`);
      const row = manager.create(ApiKeyEntity, {
        id: keyId,
        accountId: input.accountId,
        name,
        visiblePrefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
        scopes: scopes.join(','),
        secretHash: hashApiKey(this.config.pepper, secret),
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        createdBy: input.createdBy,
        createdAt: new Date(),
        expiresAt: input.expiresAt,
        revokedAt: null,
        revokedBy: null,
        lastUsedAt: null,
      });
      await manager.insert(ApiKeyEntity, row);
      await recordAudit(manager, actor, {
        action: AuditAction.API_KEY_CREATED,
        targetType: 'API_KEY',
        targetId: keyId,
        accountId: input.accountId,
        after: { name, scopes, visiblePrefix: row.visiblePrefix, expiresAt: input.expiresAt?.toISOString() ?? null },
      });
      return row;
    });
    return { apiKey, secret };
  }

  /** Every key of the account, newest first, revoked ones included. */
  list(accountId: string): Promise<ApiKeyEntity[]> {
    return this.runner.read((manager) => manager.find(ApiKeyEntity, { where: { accountId }, order: { createdAt: 'DESC', id: 'DESC' } }));
  }

  /** The key's account, for the auth checker; null when no key has that id. */
  async accountOf(keyId: string): Promise<string | null> {
    const row = await this.runner.read((manager) => manager.findOne(ApiKeyEntity, { where: { id: keyId }, select: { id: true, accountId: true } }));
    return row?.accountId ?? null;
  }

  /** Names of keys by id, for actors in history and reports. */
  async namesByIds(keyIds: readonly string[]): Promise<Map<string, string>> {
    if (keyIds.length === 0) return new Map();
    const rows = await this.runner.read((manager) =>
      manager
        .createQueryBuilder(ApiKeyEntity, 'key')
        .select(['key.id', 'key.name'])
        .where('key.id IN (:...ids)', { ids: [...new Set(keyIds)] })
        .getMany(),
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** Revokes the key at once, in every process; revoking a revoked key changes nothing. */
  async revoke(keyId: string, revokedBy: string, actor: Actor): Promise<ApiKeyEntity> {
    const apiKey = await this.runner.transaction(async (manager) => {
      const { affected } = await manager.update(ApiKeyEntity, { id: keyId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedBy });
      const row = await manager.findOneOrFail(ApiKeyEntity, { where: { id: keyId } });
      if (affected) {
        await recordAudit(manager, actor, {
          action: AuditAction.API_KEY_REVOKED,
          targetType: 'API_KEY',
          targetId: keyId,
          accountId: row.accountId,
          after: { revokedAt: row.revokedAt?.toISOString() ?? null },
        });
      }
      return row;
    });
    await this.onRevoked(keyId);
    return apiKey;
  }

  /**
   * A new secret for the same key (same id, name, scopes): the old secret keeps working for
   * `overlapSeconds` (0: stops at once), so a script can be redeployed without an outage.
   */
  async roll(keyId: string, overlapSeconds: number, actor: Actor): Promise<IssuedApiKey> {
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_ROLL_OVERLAP_SECONDS) {
      throw badInput(`overlapSeconds must be a whole number from 0 to ${MAX_ROLL_OVERLAP_SECONDS}.`);
    }
    const result = await this.runner.transaction(async (manager) => {
      const row = await manager.findOne(ApiKeyEntity, {
        where: { id: keyId },
        lock: this.runner.dialect === 'mysql' ? { mode: 'pessimistic_write' } : undefined,
      });
      if (!row) throw notFound('The API key');
      if (row.revokedAt) throw badInput('A revoked key cannot be rolled; create a new one.');
      const secret = newApiKey(this.config.environment, keyId);
      const now = Date.now();
      row.previousSecretHash = overlapSeconds > 0 ? row.secretHash : null;
      row.previousSecretExpiresAt = overlapSeconds > 0 ? new Date(now + overlapSeconds * 1000) : null;
      row.secretHash = hashApiKey(this.config.pepper, secret);
      await manager.save(ApiKeyEntity, row);
      await recordAudit(manager, actor, {
        action: AuditAction.API_KEY_ROTATED,
        targetType: 'API_KEY',
        targetId: keyId,
        accountId: row.accountId,
        after: { overlapSeconds, previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null },
      });
      return { apiKey: row, secret };
    });
    // Processes that cached the old secret read the key again now rather than after their recheck.
    await this.onRevoked(keyId);
    return result;
  }
}

export const scopesOf = (row: Pick<ApiKeyEntity, 'scopes'>): ApiKeyScope[] => row.scopes.split(',').filter(Boolean) as ApiKeyScope[];
