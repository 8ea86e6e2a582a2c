/**
 * Every knob of `npm run bench`, from the environment, with the quick defaults (a few minutes on
 * two cores) or, with `--full`, the sizes the goals are stated at.
 */
export interface BenchSettings {
  full: boolean;
  durationMs: number;
  rounds: number;
  concurrency: number;
  spreadPartners: number;
  usageBatch: number;
  transferBatchRows: number;
  historyRows: number;
  historyDepth: number;
  summaryCustomers: number;
  summaryRows: number;
  summaryConcurrency: number;
  subscriptions: number;
  subscriptionsPerConnection: number;
  subscriptionEvents: number;
  lateReceipts: number;
}

export function benchSettings(full: boolean): BenchSettings {
  const number = (name: string, quick: number, fullValue: number): number => {
    const raw = process.env[name];
    const value = raw === undefined || raw === '' ? (full ? fullValue : quick) : Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  return {
    full,
    durationMs: number('BENCH_DURATION_MS', 3000, 10_000),
    rounds: number('BENCH_ROUNDS', 3, 5),
    concurrency: number('BENCH_CONCURRENCY', 64, 64),
    spreadPartners: number('BENCH_SPREAD_PARTNERS', 64, 64),
    usageBatch: number('BENCH_USAGE_BATCH', 100, 100),
    transferBatchRows: number('BENCH_TRANSFER_BATCH_ROWS', 50, 50),
    historyRows: number('BENCH_HISTORY_ROWS', 100_000, 1_000_000),
    historyDepth: number('BENCH_HISTORY_DEPTH', 10_000, 100_000),
    summaryCustomers: number('BENCH_SUMMARY_CUSTOMERS', 1000, 1000),
    summaryRows: number('BENCH_SUMMARY_ROWS', 100_000, 5_000_000),
    summaryConcurrency: number('BENCH_SUMMARY_CONCURRENCY', 4, 4),
    subscriptions: number('BENCH_SUBSCRIPTIONS', 2000, 10_000),
    subscriptionsPerConnection: number('BENCH_SUBSCRIPTIONS_PER_CONNECTION', 100, 100),
    subscriptionEvents: number('BENCH_SUBSCRIPTION_EVENTS', 40, 200),
    lateReceipts: number('BENCH_LATE_RECEIPTS', 20_000, 180_000),
  };
}

/** One line of the printed table: a candidate's rate against a baseline from the same run. */
export interface Figure {
  figure: string;
  candidate: string;
  baseline: string;
  ratio: number | null;
  /** The goal, as text, and whether this run meets it (null: reported, no goal). */
  goal: string;
  met: boolean | null;
}
