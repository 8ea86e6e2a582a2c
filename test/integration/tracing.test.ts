import { readTracingConfig } from '../../src/config';
import { createTestDatabase, TEST_DATABASE } from '../support/harness';
import { spawnEntry } from '../support/server-process';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  attributes: Record<string, unknown>;
}

/**
 * Tracing patches modules as they are required, which jest's own module loader bypasses, so the
 * traced server runs in a child process (test/support/traced-transfer.ts) and reports its spans.
 */
async function traceOneTransfer(env: Record<string, string>): Promise<{ body: any; spans: ExportedSpan[] }> {
  const child = spawnEntry(
    { ...process.env, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'true', DATABASE_RUN_MIGRATIONS: 'true', ...env },
    'test/support/traced-transfer.ts',
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`traced server exited ${code}:\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('tracing (OpenTelemetry)', () => {
  it('records one trace for a transfer: the HTTP request, the GraphQL operation and, on MySQL, its SQL statements', async () => {
    const database = await createTestDatabase();
    try {
      const { body, spans } = await traceOneTransfer(database.env);
      expect(body.errors).toBeUndefined();
      expect(body.data.transferCredits.transfer.id).toBeTruthy();

      const server = spans.find((span) => span.name.startsWith('POST') && span.parentSpanId === null);
      expect(server).toBeDefined();
      const trace = spans.filter((span) => span.traceId === server!.traceId);
      expect(trace.some((span) => span.attributes['graphql.operation.name'] === 'Transfer' && span.attributes['graphql.operation.type'] === 'mutation')).toBe(
        true,
      );
      expect(trace.some((span) => span.name === 'graphql.resolve transferCredits')).toBe(true);
      // Every span of the request hangs off the one server span: one trace, not a forest.
      const ids = new Set(trace.map((span) => span.spanId));
      for (const span of trace) if (span !== server) expect(ids.has(span.parentSpanId!)).toBe(true);

      const sql = trace.filter((span) => span.attributes['db.system'] === 'mysql' || span.attributes['db.system.name'] === 'mysql');
      if (TEST_DATABASE === 'mariadb') {
        // The transfer's own statements (locks, entries, history) are in the trace, not orphaned.
        expect(sql.length).toBeGreaterThanOrEqual(3);
        expect(sql.some((span) => /ledger_entry|wallet/i.test(String(span.attributes['db.statement'] ?? span.attributes['db.query.text'] ?? span.name)))).toBe(
          true,
        );
      } else {
        // better-sqlite3 has no OpenTelemetry instrumentation: the embedded database is not traced.
        expect(sql).toEqual([]);
      }
    } finally {
      await database.drop();
    }
  });
});

describe('readTracingConfig', () => {
  it('is off by default and on when an exporter or an OTLP endpoint is named', () => {
    expect(readTracingConfig({}).enabled).toBe(false);
    expect(readTracingConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(true);
    expect(readTracingConfig({ OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
    expect(readTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(true);
    expect(readTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).enabled).toBe(true);
    expect(readTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
  });
});
