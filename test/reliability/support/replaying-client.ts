import { Answer, sleep } from './client';

/** What a client learned from one operation's final answer. */
export interface Acknowledgement {
  answer: Answer;
  /** How many times the request was sent again after a lost or refused-for-now answer. */
  replays: number;
}

export interface ReplayStatistics {
  sent: number;
  replays: number;
  /** Answers that were neither an acknowledgement nor a retryable refusal. */
  unexpected: string[];
}

/**
 * A client that sends a request until it is acknowledged, replaying it unchanged (same body, same
 * idempotency key) whenever the answer was lost (connection refused or reset: the server was
 * killed) or the server said "not now" (503, SERVICE_UNAVAILABLE, RATE_LIMITED / 429).
 */
export class ReplayingClient {
  readonly statistics: ReplayStatistics = { sent: 0, replays: 0, unexpected: [] };

  async untilAcknowledged(
    what: string,
    send: () => Promise<Answer>,
    acknowledged: (answer: Answer) => boolean,
    maximumAttempts = 400,
  ): Promise<Acknowledgement> {
    for (let attempt = 0; attempt < maximumAttempts; attempt += 1) {
      if (attempt > 0) this.statistics.replays += 1;
      this.statistics.sent += 1;
      const answer = await send();
      if (answer.status !== 0 && acknowledged(answer)) return { answer, replays: attempt };
      if (!isRetryable(answer)) {
        this.statistics.unexpected.push(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      }
      await sleep(retryDelayMs(answer, attempt));
    }
    throw new Error(`${what} was never acknowledged after ${maximumAttempts} attempts`);
  }
}

export function isRetryable(answer: Answer): boolean {
  if (answer.status === 0 || answer.status === 502 || answer.status === 503 || answer.status === 504 || answer.status === 429) return true;
  return answer.codes.length > 0 && answer.codes.every((code) => code === 'SERVICE_UNAVAILABLE' || code === 'RATE_LIMITED');
}

function retryDelayMs(answer: Answer, attempt: number): number {
  const retryAfter = Number(answer.body?.errors?.[0]?.extensions?.retryAfter ?? answer.body?.errors?.[0]?.extensions?.retryAfterSeconds);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(5000, retryAfter * 1000);
  return Math.min(1000, 50 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random());
}
