import type { DataSource } from 'typeorm';

/** Wallet balances and row counts of every table a request could change, to prove that nothing did. */
export interface Snapshot {
  wallets: Map<string, string>;
  counts: Record<string, number>;
}

const COUNTED_TABLES = [
  'ledger_transaction',
  'ledger_entry',
  'account_movement',
  'credit_transfer',
  'usage_event',
  'promotional_grant',
  'top_up',
  'top_up_refund',
  'payment_event',
  'account',
  'billing_info',
  'outbox_event',
  'credit_correction',
  'receipt',
  'credit_note',
  'debit_note',
];

export async function snapshot(dataSource: DataSource): Promise<Snapshot> {
  const wallets = new Map<string, string>();
  for (const row of (await dataSource.query('SELECT id, balanceMicros FROM wallet')) as { id: unknown; balanceMicros: unknown }[])
    wallets.set(String(row.id), String(row.balanceMicros));
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES)
    counts[table] = Number(((await dataSource.query(`SELECT COUNT(*) AS count FROM ${table}`)) as { count: unknown }[])[0].count);
  const [statuses] = (await dataSource.query(
    `SELECT COUNT(*) AS count, COALESCE(SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END), 0) AS succeeded FROM top_up`,
  )) as { succeeded: unknown }[];
  counts['top_up SUCCEEDED'] = Number(statuses.succeeded);
  return { wallets, counts };
}

export function differences(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const [table, count] of Object.entries(after.counts)) if (before.counts[table] !== count) changes.push(`${table} ${before.counts[table]} → ${count}`);
  for (const [wallet, balance] of after.wallets)
    if (before.wallets.get(wallet) !== balance) changes.push(`wallet ${wallet} ${before.wallets.get(wallet)} → ${balance}`);
  return changes;
}

/**
 * Waits until every receipt, credit note and debit note is numbered: the server numbers them a moment
 * after their commit and writes their *_ISSUED events then, so a snapshot taken before would see
 * rows still to come. Gives up after `timeoutMs` (the snapshot then shows what was missing).
 */
export async function documentsNumbered(dataSource: DataSource, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await dataSource.query(
      'SELECT (SELECT COUNT(*) FROM receipt WHERE sequence IS NULL) + (SELECT COUNT(*) FROM credit_note WHERE sequence IS NULL) + (SELECT COUNT(*) FROM debit_note WHERE sequence IS NULL) AS count',
    )) as { count: unknown }[];
    if (Number(row.count) === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
