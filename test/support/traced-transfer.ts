/**
 * Run as a child process by test/integration/tracing.test.ts: starts tracing with an in-memory
 * exporter *before* the server's modules load (as main.ts does), serves the seeded demo on the
 * database named by the environment, makes one transfer over HTTP, and prints the finished spans
 * as one JSON line.
 */
import 'reflect-metadata';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/server/telemetry/tracing';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

async function main(): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after tracing starts, on purpose */
  const { loadConfig } = require('../../src/config') as typeof import('../../src/config');
  const { createLogger } = require('../../src/common/logger') as typeof import('../../src/common/logger');
  const { createServices } = require('../../src/server/services') as typeof import('../../src/server/services');
  const { startServer } = require('../../src/server/app') as typeof import('../../src/server/app');
  const { demoModule } = require('../../src/demo/demo.module') as typeof import('../../src/demo/demo.module');
  const { MODULES } = require('../../src/server/modules') as typeof import('../../src/server/modules');
  const { signToken } = require('../../src/auth/jwt') as typeof import('../../src/auth/jwt');
  const { Role } = require('../../src/auth/principal') as typeof import('../../src/auth/principal');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const config = loadConfig();
  // SEED_DEMO_DATA is on: the demo module seeds before the server starts.
  const services = await createServices(config, createLogger(config.logLevel), { modules: [...MODULES, demoModule()] });
  const server = await startServer(services);
  const token = await signToken(config.auth.hmacSecret!, { sub: 'partner-user', accountId: 'demo-partner', role: Role.OWNER });
  exporter.reset(); // only the transfer's spans, not start-up's
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation Transfer { transferCredits(input: { customerAccountId: "demo-partner-customer-1", amount: "1", idempotencyKey: "traced-transfer-1" }) { transfer { id } } }`,
    }),
  });
  const body = await response.json();
  await server.stop();
  // Read before shutdown: shutting down the in-memory exporter empties it.
  const spans = exporter.getFinishedSpans().map((span) => ({
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
  }));
  await tracing.shutdown();
  process.stdout.write(`${JSON.stringify({ body, spans })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
