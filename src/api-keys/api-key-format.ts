import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The shape of an API key, recognisable by secret scanners and checkable offline:
 *
 *     ck_test_<key id: 16 base62><secret: 43 base62 = 32 random bytes><checksum: 6 base62 = CRC32>
 *
 * `ck_live_` in production, `ck_test_` elsewhere. The key id is what the database is searched by;
 * the secret carries 256 bits of entropy; the CRC32 of everything before it lets a mistyped or
 * truncated key be refused before any lookup (the same scheme GitHub's tokens use).
 */
export const API_KEY_PREFIXES = { live: 'ck_live_', test: 'ck_test_' } as const;
export type ApiKeyEnvironment = keyof typeof API_KEY_PREFIXES;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_ID_LENGTH = 16;
const SECRET_BYTES = 32;
const SECRET_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // ceil(32 / log2(62))
const BODY = new RegExp(`^ck_(live|test)_([0-9A-Za-z]{${KEY_ID_LENGTH}})([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);
/** How many characters of a key `apiKeys` shows: the prefix and the key id, which identify it and prove nothing. */
export const VISIBLE_PREFIX_LENGTH = 'ck_test_'.length + KEY_ID_LENGTH;

/** A key taken apart; `secretHash` is what is stored. */
export interface ParsedApiKey {
  environment: ApiKeyEnvironment;
  keyId: string;
  /** The whole key; hashed, never stored or logged. */
  key: string;
}

/** Whether a bearer token is meant as an API key (the JWT path handles everything else). */
export const looksLikeApiKey = (token: string) => token.startsWith('ck_');

function base62(bytes: Buffer, length: number): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let text = '';
  while (value > 0n) {
    text = BASE62[Number(value % 62n)] + text;
    value /= 62n;
  }
  return text.padStart(length, '0');
}

function checksum(text: string): string {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(text) >>> 0);
  return base62(value, CHECKSUM_LENGTH);
}

/** A fresh key id (88 random bits: 62^16 holds every value, so it is always 16 base62 characters). */
export const newKeyId = () => base62(randomBytes(11), KEY_ID_LENGTH);

/** A new key for `keyId`: a fresh 32-byte secret and its checksum. */
export function newApiKey(environment: ApiKeyEnvironment, keyId: string): string {
  const body = `${API_KEY_PREFIXES[environment]}${keyId}${base62(randomBytes(SECRET_BYTES), SECRET_LENGTH)}`;
  return body + checksum(body);
}

/** The key's parts, or null when it is not a well-formed key or its checksum does not match (a typo). */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = BODY.exec(key);
  if (!match) return null;
  const [, environment, keyId, , sum] = match;
  if (checksum(key.slice(0, -CHECKSUM_LENGTH)) !== sum) return null;
  return { environment: environment as ApiKeyEnvironment, keyId, key };
}

/**
 * What is stored for a key: HMAC-SHA256 under the server's pepper (API_KEY_PEPPER), hex. A fast
 * keyed hash is enough for a 256-bit random secret (docs/decisions/0161): nobody can guess one, and
 * a stolen table cannot even be tested offline without the pepper.
 */
export const hashApiKey = (pepper: string, key: string) => createHmac('sha256', pepper).update(key).digest('hex');

/** Compares two stored hashes in constant time. */
export function sameHash(stored: string, presented: string): boolean {
  const left = Buffer.from(stored, 'hex');
  const right = Buffer.from(presented, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
