import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../../database/columns';

/**
 * An account's API key. Only the HMAC of the key is stored (see api-key-format.ts); the key itself
 * is answered once, when created or rolled. Revoked keys stay, so history can still name them.
 */
@Entity('api_key')
@Index('idx_api_key_account', ['accountId', 'createdAt'])
export class ApiKeyEntity {
  /** The key id embedded in the key (16 base62 characters). */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The key's first characters (`ck_test_` and the key id), shown in lists. */
  @Column({ type: 'varchar', length: 40 })
  visiblePrefix!: string;

  /** Comma-separated ApiKeyScope values. */
  @Column({ type: 'varchar', length: 255 })
  scopes!: string;

  /** HMAC-SHA256 of the current key under API_KEY_PEPPER, hex. */
  @Column({ type: 'varchar', length: 64 })
  secretHash!: string;

  /** The key before the last roll, honoured until `previousSecretExpiresAt`. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  previousSecretHash!: string | null;

  @Column(timestampColumn({ nullable: true }))
  previousSecretExpiresAt!: Date | null;

  /** The `sub` of the OWNER who created it. */
  @Column({ type: 'varchar', length: 191 })
  createdBy!: string;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn({ nullable: true }))
  expiresAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 191, nullable: true })
  revokedBy!: string | null;

  /** Updated at most once a minute per key (see ApiKeyVerifier), not on every request. */
  @Column(timestampColumn({ nullable: true }))
  lastUsedAt!: Date | null;
}
