import http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { TokenVerifier } from '../../src/auth/jwt';
import { Role } from '../../src/auth/principal';
import { ErrorCode } from '../../src/common/domain-error';
import type { AuthConfig } from '../../src/config';

const NO_KEYS: AuthConfig = { hmacSecret: null, publicKeyPem: null, jwksUrl: null, issuer: null, audience: null };

async function rs256Token(privateKey: Parameters<SignJWT["sign"]>[0], claims: Record<string, unknown>, options: { kid?: string; expiresIn?: string } = {}) {
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

    await expect(verifier.verify(await rs256Token(other.privateKey, { account_id: 'acc-1', role: 'OWNER' }))).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    const hs256 = await new SignJWT({ account_id: 'acc-1', role: 'OWNER' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode('x'.repeat(40)));
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
