import { TokenVerifier } from '../auth/jwt';
import { systemClock } from '../common/clock';
import type { EventDefinition } from '../common/event-definition';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import { createDataSource } from '../database/data-source';
import { applyPendingMigrations } from '../database/migrations';
import { boundPoolAcquisition } from '../database/pool-guard';
import { connectReplicaReads } from '../database/replica-reads';
import { DependencyOutages } from '../common/dependency-outages';
import { isConnectionFailure, isDatabaseUnreachable } from '../database/database-errors';
import { checkMigrations, openDatabase } from '../database/startup-checks';
import { TransactionRunner } from '../database/transaction-runner';
import type { Core, DecoratedClass, FeatureModule } from '../feature-module';
import { LEDGER_ENTITIES } from '../ledger/ledger.entities';
import { LedgerService } from '../ledger/ledger.service';
import { isBusUnavailable, NotificationBus } from '../notifications/bus';
import { NOTIFICATION_ENTITIES } from '../notifications/notifications.entities';
import { OutboxService } from '../notifications/outbox.service';

/** The core's own tables (the ledger's and the outbox); every other table comes from a module. */
const CORE_ENTITIES: readonly DecoratedClass[] = [...LEDGER_ENTITIES, ...NOTIFICATION_ENTITIES];

/** Every table of a module list: the core's, then each module's (src/database/ imports no feature). */
export function entitiesOf(modules: readonly FeatureModule[]): DecoratedClass[] {
  return [...CORE_ENTITIES, ...modules.flatMap((module) => module.entities ?? [])];
}

/** Every outbox event type of a module list, for the outbox to read its rows through. */
export function eventsOf(modules: readonly FeatureModule[]): EventDefinition[] {
  return modules.flatMap((module) => module.events ?? []);
}

/**
 * The core every module stands on: the data source (migrated on MySQL when asked, its schema
 * checked otherwise: src/database/startup-checks.ts), its transaction runner and replica reads, the
 * bus, the outbox, the ledger (its projections come from the modules), the token verifier and the clock.
 */
export async function createCore(
  config: Config,
  logger: Logger,
  options: { entities: readonly DecoratedClass[]; events: readonly EventDefinition[] },
): Promise<Core> {
  const dataSource = createDataSource(config.database, [...options.entities]);
  await openDatabase(dataSource, config.database);
  if (config.database.kind === 'mysql') {
    boundPoolAcquisition(dataSource, config.database.acquireTimeoutMs);
    if (config.database.runMigrations) await applyPendingMigrations(dataSource);
    else await checkMigrations(dataSource, config.database, { refuseBehind: config.environment === 'production', logger });
  }
  const outages = watchDependencies(logger);
  const runner = new TransactionRunner(dataSource, outages);
  const replica = await connectReplicaReads(config.database, runner);
  const bus = config.redisUrl
    ? NotificationBus.redis(config.redisUrl, config.redisKeyPrefix, { logger: logger.child({ component: 'bus' }), outages })
    : NotificationBus.inMemory();
  const outbox = new OutboxService(runner, bus, logger.child({ component: 'outbox' }), { pollIntervalMs: config.outboxPollIntervalMs, events: options.events });
  const tokens = await TokenVerifier.create(config.auth);
  return { config, logger, clock: systemClock, dataSource, runner, outages, replica, bus, outbox, ledger: new LedgerService(), tokens };
}

/**
 * The dependencies whose outages are logged as one line when they start and one when they end
 * (docs/operations.md, "When a dependency fails"). Their watchers: the pollers and jobs for the
 * database, the notification bus, rate-limit and persisted-query connections for Redis, the
 * replica reads for the replica.
 */
function watchDependencies(logger: Logger): DependencyOutages {
  // Redis first: its recogniser is exact, while a socket error inside a Redis failure looks like the database's.
  return new DependencyOutages(logger.child({ component: 'outages' }), {
    redis: {
      label: 'Redis',
      whileDown: 'notifications wait in the outbox, each process counts rate limits alone, persisted queries are not shared; one line follows when it is back',
      recognises: isBusUnavailable,
    },
    database: {
      label: 'database',
      whileDown: 'requests that need it answer SERVICE_UNAVAILABLE and background work waits; one line follows when it is back',
      recognises: isDatabaseUnreachable,
      followsFromOutage: isConnectionFailure,
    },
    'read-replica': {
      label: 'read replica',
      whileDown: 'history and reports read from the primary; one line follows when it answers again',
    },
  });
}

/** Closes what the core opened, after the modules stopped. */
export async function closeCore(core: Core): Promise<void> {
  await core.bus.close();
  await core.replica?.close();
  if (core.dataSource.isInitialized) await core.dataSource.destroy();
}
