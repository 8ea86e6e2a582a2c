import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Level } from 'pino';
import type { Logger } from '../common/logger';

/** Probes hit every few seconds from every load balancer: logged at debug, so not at all by default. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const VALID_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * One log line per request, written when the response is done (or the client hung up): its request
 * id (a valid incoming `x-request-id`, or a new UUID, echoed in the response), method, URL, status
 * and time in ms. The level follows the status: 5xx error (with `err`), 4xx warn, else info; health
 * probes debug. `request.log` is the request's child logger (it carries the request id), for the
 * lines written while the request runs.
 *
 * Written here rather than with pino-http, which cost more than a `{ __typename }` request itself:
 * it made two child loggers per request (one carrying the serialised request) and looked its
 * options up on every line. This makes no child unless a line is written during the request, and,
 * when the line's level is off, no line. The request line itself has a fixed shape with nothing
 * to redact (the URL keeps its query parameters' names only), so it is written by a logger without
 * the redaction paths: with them, pino walks every line for each wildcard path, which cost more
 * than everything else the line needs. A failed request's line (it carries an error) is redacted.
 */
export function requestLogging(logger: Logger) {
  const requestLines = logger.child({}, { redact: { paths: [] } });
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = Date.now();
    const incoming = request.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('x-request-id', requestId);
    request.requestId = requestId;
    childLoggerOnFirstUse(request, logger);
    const done = (error?: unknown) => {
      response.removeListener('finish', done);
      response.removeListener('close', done);
      response.removeListener('error', done);
      const status = response.statusCode;
      const failed = error instanceof Error || status >= 500;
      const level: Level = failed ? 'error' : status >= 400 ? 'warn' : PROBE_PATHS.has(request.originalUrl.split('?', 1)[0]) ? 'debug' : 'info';
      if (!requestLines.isLevelEnabled(level)) return;
      const line = { req: { method: request.method, url: withoutQueryValues(request.originalUrl) }, res: { status }, durationMs: Date.now() - started };
      if (failed) request.log[level]({ ...line, err: error instanceof Error ? error : new Error(`failed with status code ${status}`) }, 'request failed');
      else requestLines[level]({ requestId, ...line }, 'request');
    };
    response.on('finish', done);
    response.on('close', done);
    response.on('error', done);
    next();
  };
}

const BASE_LOGGER = Symbol('the logger request.log is a child of');
type LoggedRequest = Request & { [BASE_LOGGER]?: Logger };

/**
 * `request.log` is made when first read: pino's `child()` runs the redaction over its bindings
 * (tens of microseconds), and most requests write no line of their own. The getter sits on the
 * requests' prototype (express gives every request of an app the same one), installed once; the
 * first read replaces it with the request's own value.
 */
function childLoggerOnFirstUse(request: LoggedRequest, logger: Logger): void {
  request[BASE_LOGGER] = logger;
  const prototype = Object.getPrototypeOf(request) as object;
  if (Object.prototype.hasOwnProperty.call(prototype, 'log')) return;
  const own = (target: Request, value: Logger) => Object.defineProperty(target, 'log', { value, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(prototype, 'log', {
    configurable: true,
    get(this: LoggedRequest): Logger | undefined {
      const base = this[BASE_LOGGER];
      if (!base) return undefined;
      const log = base.child({ requestId: this.requestId });
      own(this, log);
      return log;
    },
    set(this: Request, value: Logger) {
      own(this, value);
    },
  });
}

/**
 * The URL with its query parameters' names but not their values: a provider's return URL carries
 * signatures and tokens (VNPay's vnp_SecureHash, PayPal's token), and no value is worth a leak.
 */
export function withoutQueryValues(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const names = [...new URLSearchParams(url.slice(question + 1)).keys()];
  return names.length > 0 ? `${url.slice(0, question)}?${names.join('&')}` : url.slice(0, question);
}
