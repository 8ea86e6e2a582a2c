import pino from 'pino';

export type Logger = pino.Logger;

/** The one logger: JSON lines on stdout; each request gets a child carrying its request id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'credits-bff' },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token'], censor: '[redacted]' },
  });
}
