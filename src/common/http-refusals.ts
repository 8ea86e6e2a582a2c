import type { Response } from 'express';
import { DomainError, ErrorCode } from './domain-error';
import type { Logger } from './logger';

/** HTTP status of each refusal a download route (CSV reports, history, receipt PDFs) can meet; anything else is a 500. */
const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/**
 * Answers a download route's refusal as JSON with the GraphQL error shape (`errors[0].extensions.code`),
 * decided before the first byte; an unexpected error is a 500 with a generic message, its detail in the log.
 */
export function sendRefusal(logger: Logger, response: Response, error: unknown): void {
  if (error instanceof DomainError && STATUS_OF_CODE[error.code]) {
    if (error.code === ErrorCode.SERVICE_UNAVAILABLE)
      logger.warn({ err: (error as { cause?: unknown }).cause ?? error }, 'download refused: database unavailable');
    response.status(STATUS_OF_CODE[error.code]!).json({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
    return;
  }
  logger.error({ err: error }, 'download failed');
  response.status(500).json({
    errors: [
      { message: 'Something went wrong on our side. It has been logged; please try again later.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
    ],
  });
}
