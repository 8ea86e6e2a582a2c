import { reasonOf } from '../common/dependency-outages';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import type {
  BackgroundJob,
  ConsoleSignIn,
  ConsumerDeclaration,
  Core,
  FeatureModule,
  FeatureServices,
  ModuleContext,
  ModuleParts,
  RouteDeclaration,
} from '../feature-module';
import type { LoaderFactory, Loaders } from '../graphql/loaders';
import type { OutboxConsumer } from '../notifications/outbox.service';
import { closeCore, createCore, entitiesOf, eventsOf } from './core';
import { MODULES } from './modules';

/** The modules a process runs and what each one's factory returned, in list order. */
export interface Composition {
  modules: readonly FeatureModule[];
  parts: readonly ModuleParts[];
}

/** The composition root: the core and every module's services, built once per process and shared by all requests. */
export type Services = Core & FeatureServices & { composition: Composition };

/** What the composition root is given rather than choosing itself: the module list (start-up code adds the embedded demo's module). */
export interface ServiceSeams {
  modules?: readonly FeatureModule[];
}

/**
 * Builds the core (with every module's tables and outbox event types), then each module in list
 * order (each factory sees the core and the services of the modules above it, plus every module's
 * `provides`), folds the modules' projections into the ledger and their consumers into the outbox,
 * then runs their `ready` hooks.
 */
export async function createServices(config: Config, logger: Logger, seams: ServiceSeams = {}): Promise<Services> {
  const modules = seams.modules ?? MODULES;
  const core = await createCore(config, logger, { entities: entitiesOf(modules), events: eventsOf(modules) });
  const context: ModuleContext = Object.assign(core, ...modules.map((module) => module.provides ?? {}));
  const parts: ModuleParts[] = [];
  for (const module of modules) {
    const built = (await module.create?.(context)) ?? {};
    Object.assign(context, built.services);
    parts.push(built);
  }
  core.ledger.addProjections(parts.flatMap((part) => part.projections ?? []));
  for (const consumer of orderConsumers(parts.flatMap((part) => part.consumers ?? []))) core.outbox.addConsumer(consumer);
  const services: Services = Object.assign(context, { composition: { modules, parts } });
  for (const part of parts) await part.ready?.();
  return services;
}

/**
 * The outbox consumers in an order where each runs after those it names in `after` (Kahn's
 * topological sort; among the ready ones, list order wins, so the order is stable).
 */
export function orderConsumers(declarations: readonly ConsumerDeclaration[]): OutboxConsumer[] {
  const names = new Set(declarations.map((declaration) => declaration.name));
  for (const declaration of declarations) {
    for (const name of declaration.after ?? []) {
      if (!names.has(name)) throw new Error(`outbox consumer ${declaration.name} runs after ${name}, which no module declares`);
    }
  }
  const ordered: ConsumerDeclaration[] = [];
  const placed = new Set<string>();
  while (ordered.length < declarations.length) {
    const next = declarations.find((declaration) => !placed.has(declaration.name) && (declaration.after ?? []).every((name) => placed.has(name)));
    if (!next)
      throw new Error(
        `outbox consumers depend on each other in a cycle: ${declarations
          .filter((d) => !placed.has(d.name))
          .map((d) => d.name)
          .join(', ')}`,
      );
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered.map((declaration) => declaration.consumer);
}

/** One request's loaders: every module's, made together on first use. */
export function loaderFactoryOf(services: Services): LoaderFactory {
  const factories = services.composition.parts.flatMap((part) => (part.loaders ? [part.loaders] : []));
  return () => Object.assign({}, ...factories.map((factory) => factory())) as Loaders;
}

/** Every module's routes, in list order (built now that every service exists). */
export function routesOf(services: Services): RouteDeclaration[] {
  return services.composition.parts.flatMap((part) => part.routes?.() ?? []);
}

/** The headers the explorer fills in: what the modules give (the demo's token), merged. */
export async function explorerHeadersOf(services: Services): Promise<Record<string, string>> {
  const given = await Promise.all(services.composition.parts.map((part) => part.explorerHeaders?.() ?? {}));
  return Object.assign({}, ...given);
}

/** The sign-ins the console offers: what the modules give (the demo's principals), in list order. */
export async function consoleSignInsOf(services: Services): Promise<ConsoleSignIn[]> {
  const given = await Promise.all(services.composition.parts.map((part) => part.consoleSignIns?.() ?? []));
  return given.flat();
}

function jobsOf(services: Services): BackgroundJob[] {
  return services.composition.parts.flatMap((part) => part.jobs ?? []);
}

/** Once the server listens: the outbox relay, each module's `listening` hook, then every job. */
export function startBackgroundWork(services: Services, baseUrl: string): void {
  services.outbox.start();
  for (const part of services.composition.parts) part.listening?.(baseUrl);
  for (const job of jobsOf(services)) job.start();
}

/**
 * Stops every job, then drains and stops the outbox relay (the same `drain` the tests use: it
 * publishes what the requests and jobs committed; if the database or Redis is away, the rows stay
 * for the next process), then closes the modules and the core.
 */
export async function closeServices(services: Services): Promise<void> {
  for (const job of jobsOf(services)) await job.stop();
  // Last, after everything that commits notifications.
  try {
    await services.outbox.drain();
  } catch (error) {
    // A known outage needs no stack trace: its reason says it all.
    const detail = services.outages.explains(error) ? reasonOf(error) : { err: error };
    services.logger.warn({ ...detail, component: 'outbox' }, 'final outbox drain failed; the next process publishes what is left');
  }
  await services.outbox.stop();
  for (const part of services.composition.parts) await part.close?.();
  await closeCore(services);
}
