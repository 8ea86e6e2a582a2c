import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../common/logger';

/** Probes hit every few seconds from every load balancer: logged at debug, so not at all by default. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const VALID_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * One log line per request (pino-http): its request id (a valid incoming `x-request-id`, or a new
 * UUID, echoed in the response), method, URL, status and time. The level follows the status: 5xx
 * error, 4xx warn, else info; health probes debug. The serializers pick the few fields we log
 * instead of copying every header, so a line costs less than the request it describes.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    wrapSerializers: false,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    serializers: {
      req: (request: IncomingMessage) => ({ method: request.method, url: request.url }),
      res: (response: ServerResponse) => ({ status: response.statusCode }),
    },
    genReqId: (request, response) => {
      const incoming = request.headers['x-request-id'];
      const id = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('x-request-id', id);
      (request as IncomingMessage & { requestId: string }).requestId = id;
      return id;
    },
    customLogLevel: (request, response, error) => {
      if (error || response.statusCode >= 500) return 'error';
      if (response.statusCode >= 400) return 'warn';
      return PROBE_PATHS.has((request.url ?? '').split('?', 1)[0]) ? 'debug' : 'info';
    },
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
  });
}
