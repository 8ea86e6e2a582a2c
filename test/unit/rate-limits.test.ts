import { ConfigError, loadConfig } from '../../src/config';
import { clientRateLimitKey, principalRateLimitKey } from '../../src/server/rate-limits';
import { Role } from '../../src/auth/principal';

describe('rate-limit settings', () => {
  it('has defaults a console and a partner script never meet, and a stricter payment and failed-authentication bucket, and a generous ceiling per address for verified requests', () => {
    const { rateLimits, redisKeyPrefix } = loadConfig({});
    expect(redisKeyPrefix).toBe('credits:');
    expect(rateLimits).toEqual({
      principal: { points: 1200, durationSeconds: 60 },
      ip: { points: 300, durationSeconds: 60 },
      authenticatedIp: { points: 12000, durationSeconds: 60 },
      failedAuthentication: { points: 30, durationSeconds: 60 },
      payment: { points: 10, durationSeconds: 60 },
      webhook: { points: 600, durationSeconds: 60 },
    });
  });

  it('reads every bucket from its two variables', () => {
    const config = loadConfig({
      RATE_LIMIT_PAYMENT_POINTS: '2',
      RATE_LIMIT_PAYMENT_DURATION_SECONDS: '3600',
      RATE_LIMIT_WEBHOOK_POINTS: '50',
      REDIS_KEY_PREFIX: 'eu-1:credits:',
    });
    expect(config.rateLimits.payment).toEqual({ points: 2, durationSeconds: 3600 });
    expect(config.rateLimits.webhook).toEqual({ points: 50, durationSeconds: 60 });
    expect(config.redisKeyPrefix).toBe('eu-1:credits:');
  });

  it.each([
    [{ RATE_LIMIT_PRINCIPAL_POINTS: '0' }, 'RATE_LIMIT_PRINCIPAL_POINTS'],
    [{ RATE_LIMIT_IP_POINTS: '-5' }, 'RATE_LIMIT_IP_POINTS'],
    [{ RATE_LIMIT_FAILED_AUTH_DURATION_SECONDS: '1.5' }, 'RATE_LIMIT_FAILED_AUTH_DURATION_SECONDS'],
    [{ RATE_LIMIT_WEBHOOK_DURATION_SECONDS: '86401' }, 'RATE_LIMIT_WEBHOOK_DURATION_SECONDS'],
    [{ RATE_LIMIT_PAYMENT_POINTS: 'ten' }, 'RATE_LIMIT_PAYMENT_POINTS'],
    [{ REDIS_KEY_PREFIX: 'has space' }, 'REDIS_KEY_PREFIX'],
    [{ REDIS_KEY_PREFIX: 'x'.repeat(65) }, 'REDIS_KEY_PREFIX'],
  ])('refuses %p naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(`- ${variable}`);
  });
});

describe('rate-limit keys', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:7:1::5', '2001:db8:7:1::/64'],
    ['2001:0DB8:0007:0001:aaaa:bbbb:cccc:dddd', '2001:db8:7:1::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('keys the client %p as %p', (ip, key) => {
    expect(clientRateLimitKey(ip)).toBe(key);
  });

  it('keys a user by subject and account, a service by subject', () => {
    expect(principalRateLimitKey({ subject: 'user-1', accountId: 'acme', role: Role.OWNER, scopes: [] })).toBe('user-1@acme');
    expect(principalRateLimitKey({ subject: 'metering', accountId: null, role: null, scopes: [] })).toBe('metering');
  });
});
