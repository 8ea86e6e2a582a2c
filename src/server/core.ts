import { TokenVerifier } from '../auth/jwt';
import { systemClock } from '../common/clock';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import { createDataSource } from '../database/data-source';
import { applyPendingMigrations, assertMigrated } from '../database/migrations';
import { boundPoolAcquisition } from '../database/pool-guard';
import { connectReplicaReads } from '../database/replica-reads';
import { TransactionRunner } from '../database/transaction-runner';
import type { Core, DecoratedClass, FeatureModule } from '../feature-module';
import { LEDGER_ENTITIES } from '../ledger/ledger.entities';
import { LedgerService } from '../ledger/ledger.service';
import { NotificationBus } from '../notifications/bus';
import { NOTIFICATION_ENTITIES } from '../notifications/notifications.entities';
import { type OutboxDrainSwitch, OutboxService } from '../notifications/outbox.service';

/** The core's own tables (the ledger's and the outbox); every other table comes from a module. */
const CORE_ENTITIES: readonly DecoratedClass[] = [...LEDGER_ENTITIES, ...NOTIFICATION_ENTITIES];

/** Every table of a module list: the core's, then each module's (src/database/ imports no feature). */
export function entitiesOf(modules: readonly FeatureModule[]): DecoratedClass[] {
  return [...CORE_ENTITIES, ...modules.flatMap((module) => module.entities ?? [])];
}

/**
 * The core every module stands on: the data source (on MySQL migrated when asked, and refused
 * when never migrated), its transaction runner and replica reads, the bus, the outbox, the ledger
 * (its projections come from the modules), the token verifier and the clock.
 */
export async function createCore(
  config: Config,
  logger: Logger,
  options: { entities: readonly DecoratedClass[]; outboxDrain?: OutboxDrainSwitch },
): Promise<Core> {
  const dataSource = createDataSource(config.database, [...options.entities]);
  await dataSource.initialize();
  if (config.database.kind === 'mysql') {
    boundPoolAcquisition(dataSource, config.database.acquireTimeoutMs);
    // Migrated here when asked; otherwise a database that was never migrated is refused with the command to run.
    if (config.database.runMigrations) await applyPendingMigrations(dataSource);
    else await assertMigrated(dataSource);
  }
  const runner = new TransactionRunner(dataSource);
  const replica = await connectReplicaReads(config.database, runner, logger);
  const bus = config.redisUrl ? NotificationBus.redis(config.redisUrl, config.redisKeyPrefix, logger.child({ component: 'bus' })) : NotificationBus.inMemory();
  const outbox = new OutboxService(runner, bus, logger.child({ component: 'outbox' }), options.outboxDrain);
  const tokens = await TokenVerifier.create(config.auth);
  return { config, logger, clock: systemClock, dataSource, runner, replica, bus, outbox, ledger: new LedgerService(), tokens };
}

/** Closes what the core opened, after the modules stopped. */
export async function closeCore(core: Core): Promise<void> {
  await core.bus.close();
  await core.replica?.close();
  if (core.dataSource.isInitialized) await core.dataSource.destroy();
}
