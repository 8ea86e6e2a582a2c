import type { DependencyOutages } from './common/dependency-outages';
import type { RequestHandler } from 'express';
import type { TokenVerifier } from './auth/jwt';
import type { Clock } from './common/clock';
import type { EventDefinition } from './common/event-definition';
import type { Logger } from './common/logger';
import type { Config } from './config';
import type { DataSource } from 'typeorm';
import type { ReplicaReads } from './database/replica-reads';
import type { TransactionRunner } from './database/transaction-runner';
import type { Loaders } from './graphql/loaders';
import type { LedgerService } from './ledger/ledger.service';
import type { PostingProjection } from './ledger/posting';
import type { NotificationBus } from './notifications/bus';
import type { OutboxConsumer, OutboxService } from './notifications/outbox.service';

/**
 * What every feature stands on, built once per process before any module (src/server/core.ts):
 * settings, the data source and its transaction runner, the bus, the outbox, the ledger core, the
 * token verifier, the clock and the logger.
 */
export interface Core {
  config: Config;
  logger: Logger;
  clock: Clock;
  dataSource: DataSource;
  runner: TransactionRunner;
  /** Which dependencies are away now: one log line when an outage starts and one when it ends. */
  outages: DependencyOutages;
  /** History and report reads on DATABASE_REPLICA_URL; null when none is configured. */
  replica: ReplicaReads | null;
  bus: NotificationBus;
  outbox: OutboxService;
  ledger: LedgerService;
  tokens: TokenVerifier;
}

/**
 * The services the features provide, one member per service. Empty here: each feature's module
 * file adds its own members by declaration merging
 * (`declare module '../feature-module' { interface FeatureServices { transfers: TransfersService } }`),
 * so the type of the whole is derived from the modules and nobody keeps a list of them by hand.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FeatureServices {}

/** What a module's factory is given: the core and the services of the modules listed before it. */
export type ModuleContext = Core & FeatureServices;

/**
 * An outbox consumer and the consumers it must run after (by name). The composition root sorts the
 * declarations topologically, so the order is data, not the order of calls; ties keep list order.
 */
export interface ConsumerDeclaration {
  name: string;
  after?: readonly string[];
  consumer: OutboxConsumer;
}

/** Background work that starts once the server listens and stops, with all the others, at shutdown (before the outbox's final drain). */
export interface BackgroundJob {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

/**
 * HTTP routes outside GraphQL. `rateLimit` names the bucket the server's guard charges before the
 * router runs: `request` (per principal, like GraphQL) or `callback` (per client IP and route, for
 * provider callbacks), or `none`. Routers that need raw bodies get them: no JSON parser runs for their paths.
 */
export interface RouteDeclaration {
  paths: readonly string[];
  rateLimit: 'request' | 'callback' | 'none';
  handler: RequestHandler;
}

/** What a module's factory returns; every part is optional. */
export interface ModuleParts {
  /** Members of FeatureServices, on the composition root and in every resolver's context. */
  services?: Partial<FeatureServices>;
  /** Written inside every posting's transaction, in module list order. */
  projections?: readonly PostingProjection[];
  consumers?: readonly ConsumerDeclaration[];
  jobs?: readonly BackgroundJob[];
  /** Built when the server starts, once every module's services exist. */
  routes?: () => readonly RouteDeclaration[];
  /** This module's per-request dataloaders (members of graphql/loaders.ts's Loaders). */
  loaders?: () => Partial<Loaders>;
  /** After every module is built, in list order: rows the process needs before it serves. */
  ready?: () => Promise<void>;
  /** Once the server listens, with its base URL, before the jobs start. */
  listening?: (baseUrl: string) => void;
  /** At shutdown, after the jobs and the outbox stopped, before the core closes. */
  close?: () => Promise<void>;
  /** Headers the explorer's landing page fills in (the embedded demo's token). */
  explorerHeaders?: () => Promise<Record<string, string>>;
  /** Principals the console's sign-in page offers with fresh tokens (the embedded demo's). */
  consoleSignIns?: () => Promise<ConsoleSignIn[]>;
}

/** A principal the console's sign-in page offers, with a fresh token. */
export interface ConsoleSignIn {
  label: string;
  accountId: string | null;
  token: string;
}

/** A class decorated for type-graphql (resolver) or TypeORM (entity). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type DecoratedClass = Function;

/**
 * One feature, as one value: its tables, its resolvers, the services it provides and how to build
 * them. src/server/modules.ts lists them; src/server/ folds the list into the data source, the
 * schema, the context, the outbox's event types and consumer chain, the routes and the lifecycle.
 */
export interface FeatureModule {
  name: string;
  entities?: readonly DecoratedClass[];
  /** The outbox event types this feature owns (their definitions: topic, version, schema); the outbox reads only declared types. */
  events?: readonly EventDefinition[];
  resolvers?: readonly DecoratedClass[];
  /**
   * Services known before any module is built (a seam such as the embedded demo's payment
   * stand-ins), visible to every factory whatever the list order.
   */
  provides?: Partial<FeatureServices>;
  create?: (context: ModuleContext) => ModuleParts | Promise<ModuleParts>;
}

/** Declares a feature module (an identity function that checks the shape). */
export function defineModule<Module extends FeatureModule>(module: Module): Module {
  return module;
}
