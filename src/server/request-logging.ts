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
 * options up on every line. This makes one child and, when the line's level is off, no line.
 */
export function requestLogging(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = Date.now();
    const incoming = request.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('x-request-id', requestId);
    request.requestId = requestId;
    const log = logger.child({ requestId });
    request.log = log;
    const done = (error?: unknown) => {
      response.removeListener('finish', done);
      response.removeListener('close', done);
      response.removeListener('error', done);
      const status = response.statusCode;
      const failed = error instanceof Error || status >= 500;
      const level: Level = failed ? 'error' : status >= 400 ? 'warn' : PROBE_PATHS.has(request.originalUrl.split('?', 1)[0]) ? 'debug' : 'info';
      if (!log.isLevelEnabled(level)) return;
      const line = { req: { method: request.method, url: withoutQueryValues(request.originalUrl) }, res: { status }, durationMs: Date.now() - started };
      if (failed) log[level]({ ...line, err: error instanceof Error ? error : new Error(`failed with status code ${status}`) }, 'request failed');
      else log[level](line, 'request');
    };
    response.on('finish', done);
    response.on('close', done);
    response.on('error', done);
    next();
  };
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
