import path from 'node:path';
import { runScenario } from '../reliability/run';
import type { Figure } from './settings';

/**
 * The reliability suite's hostile scenario (test/reliability/hostile.scenario.ts), read for the two fairness figures: the latency of a
 * normal client (another principal, another address, polling `balances` from a process of its
 * own) under attack against the same client's quiet latency, and the server's event-loop delay
 * during the attack as its /metrics reports it. The scenario's own failures (a 5xx, a changed
 * balance, an unexpected code) fail the benchmark.
 *
 * Always its full version, quick run or not (it takes under a minute): the quick one's attack lasts
 * a few seconds, in which the normal client, polling ten times a second, gets some 25 answers, and
 * the p99 of 25 answers is their slowest one.
 */
export async function hostileBenchmark(): Promise<Figure[]> {
  const result = await runScenario(path.join(__dirname, '..', 'reliability', 'hostile.scenario.ts'), { quick: false });
  if (result.failures.length > 0) throw new Error(`the hostile scenario failed: ${result.failures.join('; ')}`);
  const pair = (name: string): [number, number] => {
    const value = String(result.figures[name] ?? '');
    const match = /^([0-9.]+) \/ ([0-9.]+)$/.exec(value);
    if (!match) throw new Error(`the hostile scenario reported no "${name}" (got "${value}")`);
    return [Number(match[1]), Number(match[2])];
  };
  const [quiet, attacked] = pair('normal client p99 quiet / attack (ms)');
  const [delayP99, delayMax] = pair('event-loop delay under attack p99 / max (ms, /metrics; goal p99 ≤ 50)');
  return [
    {
      figure: `hostile mix (${result.figures.database}, ${result.figures['hostile requests']} requests): the normal client's \`balances\` p99 under attack vs quiet`,
      candidate: `${attacked.toFixed(1)} ms`,
      baseline: `${quiet.toFixed(1)} ms`,
      ratio: attacked / quiet,
      goal: '≤ 3',
      met: attacked / quiet <= 3,
    },
    {
      figure: 'hostile mix: the server’s event-loop delay p99 (max) under attack, from /metrics',
      candidate: `${delayP99.toFixed(1)} ms (max ${delayMax.toFixed(1)} ms)`,
      baseline: '',
      ratio: null,
      goal: 'p99 ≤ 50 ms',
      met: delayP99 <= 50,
    },
  ];
}
