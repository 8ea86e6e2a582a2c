import { startBenchProcess } from './processes';
import type { BenchSettings, Figure } from './settings';

interface LatePass {
  issued: number;
  issueMs: number;
  numberedMs: number;
}

/**
 * The start-up pass that issues receipts for purchases paid before receipts existed
 * (`LateReceiptsJob.issueAll`), on a database holding BENCH_LATE_RECEIPTS paid top-ups without a
 * receipt: one real Stripe purchase, copied with fresh ids and keys. The pass is timed in the
 * server's process (a start-up job, not a request), then the same walk again with nothing left to
 * issue: what every later start pays.
 */
export async function lateReceiptsBenchmark(settings: BenchSettings): Promise<Figure[]> {
  const server = await startBenchProcess('server.process.ts', {});
  try {
    const [accountId] = await server.call<string[]>('createAccounts', { count: 1 });
    const topUpId = await server.call<string>('fundByTopUp', { accountId, amount: '10' });
    await server.call('copyPaidTopUp', { topUpId, rows: settings.lateReceipts });
    const first = await server.call<LatePass>('issueLateReceipts');
    const again = await server.call<LatePass>('issueLateReceipts');
    if (first.issued !== settings.lateReceipts || again.issued !== 0) throw new Error(`late receipts issued ${first.issued}, then ${again.issued}`);
    const count = (value: number) => value.toLocaleString('en');
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return [
      {
        figure: `late receipts at start-up: ${count(first.issued)} paid top-ups without a receipt, issued (then numbered)`,
        candidate: `${seconds(first.issueMs)} (${seconds(first.numberedMs)}), ${count(Math.round(first.issued / (first.issueMs / 1000)))} receipts/s`,
        baseline: `${seconds(again.issueMs)} with nothing to issue`,
        ratio: null,
        goal: 'reported',
        met: null,
      },
    ];
  } finally {
    await server.stop();
  }
}
