import type { Config } from '../config';
import { createLogger } from '../common/logger';
import { demoModule } from '../demo/demo.module';
import { MODULES } from '../server/modules';
import { productionRefusalMessage, productionRefusals } from '../server/production-posture';
import { closeServices, createServices } from '../server/services';

/**
 * Seeds the demo accounts into the configured database (the embedded file, or a migrated
 * MySQL/MariaDB database), once: a database that has them already is left as it is. The services
 * start with the demo module, whose start seeds, and close again. Production is refused, as the
 * server refuses the demo there.
 */
export async function seedDemo(config: Config): Promise<void> {
  const seeding = { ...config, seedDemoData: true };
  const refusals = productionRefusals(seeding);
  if (refusals.length > 0) throw new Error(productionRefusalMessage(refusals));
  const services = await createServices(seeding, createLogger(config.logLevel), { modules: [...MODULES, demoModule()] });
  await closeServices(services);
}
