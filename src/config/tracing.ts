import type { Env } from './read';

/**
 * Tracing is off unless the standard OpenTelemetry variables ask for it: an exporter
 * (`OTEL_TRACES_EXPORTER`, other than `none`) or an OTLP endpoint, and `OTEL_SDK_DISABLED` not true.
 * Read apart from `loadConfig` because it must be decided before the server's modules load; the
 * SDK reads the rest of its standard `OTEL_*` variables itself (they are declared in settings.ts).
 */
export function readTracingConfig(env: Env = process.env): { enabled: boolean } {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return { enabled: false };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.length > 0) return { enabled: !exporters.includes('none') };
  return { enabled: Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) };
}
