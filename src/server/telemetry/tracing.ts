import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';

export interface Tracing {
  /** Flushes the spans still buffered and stops the exporters. */
  shutdown(): Promise<void>;
}

/** Probes and scrapes would otherwise be most of the traces, and say nothing. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * OpenTelemetry for HTTP, express, GraphQL and MySQL. The instrumentations patch modules as they are
 * required, so this must run before the server's modules are loaded (first thing in main.ts).
 *
 * The SDK reads its standard variables itself (`OTEL_SERVICE_NAME`, `OTEL_TRACES_EXPORTER`,
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_SAMPLER`, ...); whether tracing runs at all is decided
 * by the config module (`readTracingConfig`). Tests pass their own span processor (an in-memory
 * exporter) instead of the exporters named in the environment.
 */
export function startTracing(options: { spanProcessors?: SpanProcessor[] } = {}): Tracing {
  const sdk = new NodeSDK({
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    // Traces only: metrics are Prometheus's (/metrics) and logs are pino's on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
      }),
      new ExpressInstrumentation(),
      // One span per operation phase (parse, validate, execute) and per non-trivial resolver; a span
      // for every scalar field would cost more than the field.
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, depth: 2 }),
      new MySQL2Instrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
