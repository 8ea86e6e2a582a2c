import http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { TokenVerifier } from '../../src/auth/jwt';
import { VerifiedTokenCache } from '../../src/auth/verified-token-cache';
import { Role } from '../../src/auth/principal';
import { ErrorCode } from '../../src/common/domain-error';
import type { AuthConfig } from '../../src/config';

const NO_KEYS: AuthConfig = {
  hmacSecret: null,
  publicKeyPem: null,
  jwksUrl: null,
  issuer: null,
  audience: null,
  maxTokenBytes: 8192,
  maxLifetimeSeconds: 86_400,
  clockSkewSeconds: 30,
};

async function rs256Token(privateKey: Parameters<SignJWT['sign']>[0], claims: Record<string, unknown>, options: { kid?: string; expiresIn?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', ...(options.kid ? { kid: options.kid } : {}) })
    .setSubject('user-1')
    .setIssuer('https://issuer.test')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(privateKey);
}

describe('production token verification (RS256)', () => {
  it('accepts a token signed by the configured public key and refuses another key, HS256, or an expired token', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const verifier = await TokenVerifier.create({ ...NO_KEYS, publicKeyPem: await exportSPKI(publicKey), issuer: 'https://issuer.test' });

    const { principal } = await verifier.verify(await rs256Token(privateKey, { account_id: 'acc-1', role: 'OWNER' }));
    expect(principal).toMatchObject({ subject: 'user-1', accountId: 'acc-1', role: Role.OWNER });

    await expect(verifier.verify(await rs256Token(other.privateKey, { account_id: 'acc-1', role: 'OWNER' }))).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
    });
    const hs256 = await new SignJWT({ account_id: 'acc-1', role: 'OWNER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .sign(new TextEncoder().encode('x'.repeat(40)));
    await expect(verifier.verify(hs256)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    const expired = await rs256Token(privateKey, { account_id: 'acc-1', role: 'OWNER' }, { expiresIn: '-1m' });
    await expect(verifier.verify(expired)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
  });

  it('verifies against a JWKS served over HTTP', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const server = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const verifier = await TokenVerifier.create({ ...NO_KEYS, jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` });
      const { principal } = await verifier.verify(await rs256Token(privateKey, { scope: 'admin' }, { kid: 'key-1' }));
      expect(principal.scopes).toEqual(['admin']);
      const unknownKey = await generateKeyPair('RS256');
      await expect(verifier.verify(await rs256Token(unknownKey.privateKey, { scope: 'admin' }, { kid: 'key-2' }))).rejects.toMatchObject({
        code: ErrorCode.UNAUTHENTICATED,
      });
    } finally {
      server.close();
    }
  });
});

describe('the cache of verified tokens', () => {
  const verified = (expiresAt: number | null) => ({ principal: { subject: 's', accountId: 'a', role: Role.OWNER, scopes: [] }, expiresAt });

  it('forgets a token when it expires, and after the max age even if it has not', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(10, 60_000, () => now);
    cache.set('short', verified(now + 1_000));
    cache.set('long', verified(now + 3_600_000));
    cache.set('forever', verified(null));
    expect(cache.get('short')).not.toBeNull();
    now += 1_000;
    expect(cache.get('short')).toBeNull();
    expect(cache.get('long')).not.toBeNull();
    now += 59_000;
    expect(cache.get('long')).toBeNull();
    expect(cache.get('forever')).toBeNull();
  });

  it('holds at most its size, forgetting the oldest first, and never keeps an expired token', () => {
    const now = 1_000_000;
    const cache = new VerifiedTokenCache(2, 60_000, () => now);
    cache.set('expired', verified(now - 1));
    expect(cache.size).toBe(0);
    cache.set('one', verified(null));
    cache.set('two', verified(null));
    cache.set('three', verified(null));
    expect(cache.size).toBe(2);
    expect(cache.get('one')).toBeNull();
    expect(cache.get('three')).not.toBeNull();
  });

  it('answers a repeated token from the cache but still refuses a tampered one', async () => {
    const secret = 'y'.repeat(40);
    const verifier = await TokenVerifier.create({ ...NO_KEYS, hmacSecret: secret });
    const token = await new SignJWT({ account_id: 'acc-1', role: 'OWNER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(tampered)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
  });
});

describe('what a token must be', () => {
  const secret = 'z'.repeat(40);
  const key = new TextEncoder().encode(secret);
  const now = () => Math.floor(Date.now() / 1000);
  const claims = { account_id: 'acc-1', role: 'OWNER' };
  const hs256 = (build: (token: SignJWT) => SignJWT) => build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u')).sign(key);
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses alg "none", and a token HMAC-signed with the RS256 public key (algorithm confusion)', async () => {
    const verifier = await TokenVerifier.create({ ...NO_KEYS, hmacSecret: secret });
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, sub: 'u', exp: now() + 600 })}.`;
    await expect(verifier.verify(unsigned)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });

    const { publicKey } = await generateKeyPair('RS256');
    const pem = await exportSPKI(publicKey);
    const rs256Verifier = await TokenVerifier.create({ ...NO_KEYS, publicKeyPem: pem });
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setExpirationTime('5m').sign(new TextEncoder().encode(pem));
    await expect(rs256Verifier.verify(confused)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
  });

  it('requires exp, bounds the lifetime, and allows the configured clock skew only', async () => {
    const verifier = await TokenVerifier.create({ ...NO_KEYS, hmacSecret: secret, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 });
    await expect(verifier.verify(await hs256((token) => token.setIssuedAt()))).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    await expect(verifier.verify(await hs256((token) => token.setIssuedAt().setExpirationTime('2h')))).rejects.toMatchObject({
      message: expect.stringContaining('longer than 3600 seconds'),
    });
    // Issued long ago, so the lifetime is over the maximum even though little of it is left.
    await expect(verifier.verify(await hs256((token) => token.setIssuedAt(now() - 7200).setExpirationTime(now() + 60)))).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
    });
    // Without iat, the time left counts.
    await expect(verifier.verify(await hs256((token) => token.setExpirationTime('2h')))).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    expect((await verifier.verify(await hs256((token) => token.setIssuedAt().setExpirationTime('1h')))).principal.subject).toBe('u');
    // Expired 10 s ago is within the skew; 60 s ago is not.
    expect((await verifier.verify(await hs256((token) => token.setIssuedAt(now() - 600).setExpirationTime(now() - 10)))).principal.subject).toBe('u');
    await expect(verifier.verify(await hs256((token) => token.setIssuedAt(now() - 600).setExpirationTime(now() - 60)))).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
    });
  });

  it('refuses a token over the size limit before verifying it', async () => {
    const verifier = await TokenVerifier.create({ ...NO_KEYS, hmacSecret: secret, maxTokenBytes: 1024 });
    const padded = await new SignJWT({ ...claims, padding: 'p'.repeat(1200) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime('5m')
      .sign(key);
    await expect(verifier.verify(padded)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED, message: 'The access token is too long.' });
    expect((await verifier.verify(await hs256((token) => token.setExpirationTime('5m')))).principal.subject).toBe('u');
  });

  it('requires the configured issuer and audience', async () => {
    const verifier = await TokenVerifier.create({ ...NO_KEYS, hmacSecret: secret, issuer: 'https://issuer.test', audience: 'credits-bff' });
    const signed = (issuer: string, audience: string) => hs256((token) => token.setIssuer(issuer).setAudience(audience).setExpirationTime('5m'));
    expect((await verifier.verify(await signed('https://issuer.test', 'credits-bff'))).principal.subject).toBe('u');
    await expect(verifier.verify(await signed('https://other.test', 'credits-bff'))).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    await expect(verifier.verify(await signed('https://issuer.test', 'another-api'))).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
  });
});
