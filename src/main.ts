import 'reflect-metadata';
import { type Config, ConfigError, loadConfig, readTracingConfig } from './config';
import { productionRefusalMessage, productionRefusals } from './server/production-posture';
// CommonJS runs these statements in order: the configuration is checked before anything heavy loads
// (a refusal costs milliseconds), and tracing starts before the imports below load http, express,
// graphql and mysql2, which its instrumentation patches as they are required.
const config = checkedConfig();
import { startTracing } from './server/telemetry/tracing';
const tracing = readTracingConfig().enabled ? startTracing() : null;
import { createLogger } from './common/logger';
import { StartupFailure } from './common/startup-failure';
import { demoModule, wantsDemo } from './demo/demo.module';
import { printDemoWelcome } from './demo/seed';
import { startServer } from './server/app';
import { MODULES } from './server/modules';
import { createServices } from './server/services';

/**
 * The configuration, checked before anything heavy loads: a refused setting costs milliseconds, and
 * production says every refusal on one line. Exits 1 on a refusal.
 */
function checkedConfig(): Config {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.environment === 'production' ? productionRefusalMessage(error.problems) : error.message);
      process.exit(1);
    }
    throw error;
  }
  // Nothing of the demo in production, and no setting that would let a forgotten variable go live.
  const refusals = productionRefusals(config);
  if (refusals.length > 0) {
    console.error(productionRefusalMessage(refusals));
    process.exit(1);
  }
  return config;
}

/** Start-up only: configuration, services, server, and a graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const logger = createLogger(config.logLevel);
  // The embedded default (no provider keys, or demo data asked for; never production) adds the demo
  // module: the local payment stand-ins, the seed, the demo webhook receiver, the explorer's token.
  const modules = wantsDemo(config) ? [...MODULES, demoModule()] : MODULES;
  let server;
  try {
    server = await startServer(await createServices(config, logger, { modules }));
  } catch (error) {
    // A known cause (port taken, database unreachable or without its schema) is one line; anything else keeps its stack.
    if (error instanceof StartupFailure) logger.error({ exitCode: error.exitCode }, `cannot start: ${error.message}`);
    else logger.fatal({ err: error }, 'cannot start: unexpected error');
    process.exit(error instanceof StartupFailure ? error.exitCode : 1);
  }
  const { services } = server;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const forceExit = setTimeout(() => process.exit(1), 15_000);
    forceExit.unref();
    await server.stop();
    await tracing?.shutdown();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  // Handlers first, then the line that says the server is up: whoever reads that line and sends a
  // signal at once (an orchestrator, a test) gets the graceful drain, never the default action.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  logger.info({ url: server.graphqlUrl, database: services.runner.dialect, bus: services.bus.kind }, 'credits BFF listening');
  if (config.seedDemoData) await printDemoWelcome(services, server.graphqlUrl);
}

// Before the logger exists (or after start-up): whatever it is, with its stack.
main().catch((error) => {
  console.error('The server could not start:', error);
  process.exit(1);
});
