import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../common/logger';
import { demoModule, wantsDemo } from '../demo/demo.module';
import { MODULES } from '../server/modules';
import { closeServices, createServices } from '../server/services';

/**
 * The one-shot release step (compose's `migrate` service, `node dist/src/scripts/release.js`):
 * applies pending migrations to DATABASE_URL and, when SEED_DEMO_DATA is on, seeds the demo once,
 * then exits. Running it before the app processes means N processes never race to seed.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind !== 'mysql') throw new ConfigError(['DATABASE_URL: the release step migrates a MySQL/MariaDB database; set it'], config.environment);
  const logger = createLogger(config.logLevel);
  // With SEED_DEMO_DATA on, the demo module seeds while the services start (once: it checks first).
  const modules = wantsDemo(config) ? [...MODULES, demoModule()] : MODULES;
  const services = await createServices({ ...config, database: { ...config.database, runMigrations: true } }, logger, { modules });
  try {
    logger.info({ seeded: config.seedDemoData }, 'release step done: migrations applied');
  } finally {
    await closeServices(services);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('The release step failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
