import pino from 'pino';

export type Logger = pino.Logger;

/**
 * What never reaches a log line, at any depth pino's paths reach: credentials (the Authorization
 * header, tokens, secrets, passwords, signatures), payment details (card numbers, client secrets)
 * and billing information (legal name, tax code, address, invoice e-mail). GraphQL variables are
 * never logged whole either: they carry all of these.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'secret',
  'variables',
  ...[
    'authorization',
    'Authorization',
    'token',
    'accessToken',
    'secret',
    'webhookSecret',
    'clientSecret',
    'hashSecret',
    'password',
    'signature',
    'cardNumber',
    'card',
    'legalName',
    'taxCode',
    'addressLine1',
    'addressLine2',
    'postalCode',
    'invoiceEmail',
    'variables',
  ].flatMap((field) => [`*.${field}`, `*.*.${field}`]),
];

/** The one logger: JSON lines on stdout (or `destination`); each request gets a child carrying its request id. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, base: { service: 'credits-bff' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
