import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { NextFunction, Request, Response } from 'express';
import { ExecutionArgs, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticateBearer } from '../auth/bearer';
import type { VerifiedToken } from '../auth/jwt';
import { DomainError, ErrorCode } from '../common/domain-error';
import { graphQLRefusal } from '../common/graphql-refusal';
import type { Logger } from '../common/logger';
import { StartupFailure } from '../common/startup-failure';
import { createContext, GraphQLContext } from '../graphql/context';
import { createErrorFormatter } from './error-mapper';
import { consoleRoutes } from './console';
import { explorerAssets, explorerLandingPage } from './explorer';
import { emptyQueryMeansPersistedQueryPlugin, landingPagePlugin, withFieldSuggestions } from './limits/exposure';
import { limitValidationRules, webSocketOperationChecker, operationCostPlugin } from './limits/operation-limits';
import { checkVariablesShape, MAX_REQUEST_BYTES, MAX_WEBSOCKET_MESSAGE_BYTES, operationInputPlugin } from './limits/operation-input';
import { SubscriptionLimiter } from './limits/subscription-limits';
import { createPersistedQueryCache } from './persisted-queries';
import { requestLogging } from './request-logging';
import { securityHeaders } from './security-headers';
import { Metrics } from './metrics';
import { guardWebSocketAuthentication, paymentRateLimitPlugin, requestRateLimitGuard, tokenVerifiedByGuard, webhookRateLimitGuard } from './rate-limit-guards';
import { RateLimits } from './rate-limits';
import { FairAdmission } from './fair-admission';
import { unavailableStatusPlugin } from './unavailable-status.plugin';
import { uncacheableAnswersPlugins } from './uncacheable-answers.plugin';
import { buildCreditsSchema } from './schema';
import { closeServices, consoleSignInsOf, explorerHeadersOf, loaderFactoryOf, routesOf, Services, startBackgroundWork } from './services';
import { refuseSubscriptionsOverHttp } from './http-subscriptions';

export interface RunningServer {
  url: string;
  graphqlUrl: string;
  websocketUrl: string;
  services: Services;
  stop(): Promise<void>;
}

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    log: Logger;
  }
}

/** Builds the HTTP app (express + Apollo + graphql-ws on the same port), starts listening, then the background work. */
export async function startServer(services: Services): Promise<RunningServer> {
  const { config, logger } = services;
  const schema = await buildCreditsSchema(services.composition.modules);
  const metrics = new Metrics();
  const rateLimits = await RateLimits.create(config, logger, services.outages);
  const admission = new FairAdmission(config.fairAdmission);
  const persistedQueries = createPersistedQueryCache(config, services.outages);
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer, req.ip comes from X-Forwarded-For only for the proxies we trust.
  app.set('trust proxy', config.trustProxyHops);
  const httpServer = http.createServer(app);
  const websocketServer = acceptWebSockets(httpServer, '/graphql');
  const websocketCleanup = startSubscriptions(schema, websocketServer, { services, rateLimits });
  const apollo = createApollo({ schema, services, httpServer, metrics, persistedQueries, rateLimits, drain: async () => websocketCleanup.dispose() });
  await apollo.start();
  mountMiddleware(app, services, metrics);
  mountGraphql(app, { apollo, services, rateLimits, admission });
  mountModuleRoutes(app, services, rateLimits, admission);
  app.use(jsonErrorHandler(logger));
  try {
    await listen(httpServer, config.port, config.host);
  } catch (error) {
    await apollo.stop();
    websocketServer.close();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  startBackgroundWork(services, `http://${host}:${port}`);
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    graphqlUrl: `http://${host}:${port}/graphql`,
    websocketUrl: `ws://${host}:${port}/graphql`,
    services,
    stop() {
      stopping ??= (async () => {
        await apollo.stop();
        websocketServer.close();
        await rateLimits.close();
        await persistedQueries.close();
        await closeServices(services);
      })();
      return stopping;
    },
  };
}

type Context = GraphQLContext<Services>;

function createApollo(parts: {
  schema: GraphQLSchema;
  services: Services;
  httpServer: http.Server;
  metrics: Metrics;
  persistedQueries: ReturnType<typeof createPersistedQueryCache>;
  rateLimits: RateLimits;
  drain: () => Promise<unknown>;
}): ApolloServer<Context> {
  const { schema, services, httpServer, metrics, persistedQueries, rateLimits, drain } = parts;
  const { config, logger } = services;
  return new ApolloServer<Context>({
    schema,
    formatError: withFieldSuggestions(config.exposure, createErrorFormatter(logger, services.outages)),
    includeStacktraceInErrorResponses: false,
    introspection: config.exposure.introspection,
    csrfPrevention: true,
    persistedQueries: persistedQueries.options,
    parseOptions: { maxTokens: config.requestLimits.maxTokens },
    validationRules: limitValidationRules(config.requestLimits),
    // main.ts owns SIGTERM/SIGINT (drain, then close the database); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => void (await drain()) }) },
      metrics.apolloPlugin(),
      unavailableStatusPlugin(),
      ...uncacheableAnswersPlugins(),
      emptyQueryMeansPersistedQueryPlugin(),
      operationInputPlugin(),
      operationCostPlugin(config.requestLimits),
      paymentRateLimitPlugin(rateLimits),
      landingPagePlugin(config.exposure, () => explorerLandingPage(() => explorerHeadersOf(services))),
      refuseSubscriptionsOverHttp(),
    ],
  });
}

/** Logging, metrics, CORS, and the probes (health, readiness, metrics), which are never rate-limited. */
function mountMiddleware(app: express.Express, services: Services, metrics: Metrics): void {
  const { config, logger } = services;
  // ETags are for cacheable GETs; every GraphQL answer is a POST, so hashing each body buys nothing.
  app.set('etag', false);
  app.use(requestLogging(logger));
  app.use(securityHeaders(config));
  app.use(metrics.httpMiddleware());
  // Credentials travel only as the bearer header, never cookies, so no credentials mode for CORS.
  // Only browsers send Origin, and CORS means nothing without it: other callers skip the middleware.
  const corsHandler = cors({ origin: config.corsOrigins === '*' ? '*' : config.corsOrigins, credentials: false, maxAge: 600 });
  app.use((request: Request, response: Response, next: NextFunction) => (request.headers.origin === undefined ? next() : corsHandler(request, response, next)));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    try {
      await services.runner.read((manager) => manager.query('SELECT 1'));
      response.json({ status: 'ready', database: services.runner.dialect, bus: services.bus.kind });
    } catch (error) {
      // During a database outage its one line is already logged; a probe every few seconds adds nothing.
      if (!services.outages.explains(error)) logger.warn({ err: error }, 'readiness check failed');
      response.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/**
 * The hot path first: a GraphQL request matches here and never walks the routers below. Rate
 * limits (src/server/rate-limit-guards.ts) come after the probes.
 */
function mountGraphql(
  app: express.Express,
  { apollo, services, rateLimits, admission }: { apollo: ApolloServer<Context>; services: Services; rateLimits: RateLimits; admission: FairAdmission },
): void {
  const loaders = loaderFactoryOf(services);
  app.use(
    '/graphql',
    requestRateLimitGuard(rateLimits, services.tokens, admission),
    express.json({ limit: MAX_REQUEST_BYTES }),
    refuseMisshapenVariables(services.config.requestLimits.maxListLength),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const verified = tokenVerifiedByGuard(req) ?? (await authenticateHttp(services, req.headers.authorization));
        return createContext({
          principal: verified?.principal ?? null,
          tokenExpiresAt: verified?.expiresAt ?? null,
          clientIp: () => normaliseIp(req.ip),
          requestId: req.requestId,
          logger: () => req.log,
          services,
          loaders,
        });
      },
    }),
  );
}

/**
 * The variables' shape (src/server/limits/operation-input.ts) right after the body is read, before
 * Apollo hashes, looks up or parses the document: a refusal costs one walk over the parsed JSON.
 * A GET carries its variables in the query string (bounded by Node's header size limit).
 */
function refuseMisshapenVariables(maxListLength: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const refusal = checkVariablesShape(variablesOf(request), maxListLength);
    if (!refusal) return next();
    const { http: _http, ...extensions } = refusal.extensions;
    response.status(400).json({ errors: [{ message: refusal.message, extensions }] });
  };
}

function variablesOf(request: Request): unknown {
  if (request.method !== 'GET') return (request.body as { variables?: unknown } | undefined)?.variables;
  const question = request.url.indexOf('?');
  const raw = question < 0 ? null : new URLSearchParams(request.url.slice(question + 1)).get('variables');
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined; // Apollo answers malformed variables itself.
  }
}

/**
 * The explorer's assets and the reference console (both with the landing page: pages for people,
 * off where GRAPHQL_LANDING_PAGE is), then every module's routes behind the rate-limit guard each
 * one names (request: per principal, like GraphQL; callback: per client IP and route).
 */
function mountModuleRoutes(app: express.Express, services: Services, rateLimits: RateLimits, admission: FairAdmission): void {
  if (services.config.exposure.landingPage) {
    app.use(explorerAssets());
    app.use(consoleRoutes(() => consoleSignInsOf(services)));
  }
  for (const route of routesOf(services)) {
    if (route.rateLimit === 'request') app.use([...route.paths], requestRateLimitGuard(rateLimits, services.tokens, admission));
    if (route.rateLimit === 'callback') app.use([...route.paths], webhookRateLimitGuard(rateLimits));
    app.use(route.handler);
  }
}

/**
 * The WebSocket server on the HTTP server's port, fed by its `upgrade` events (`noServer`): given
 * the HTTP server itself, ws would re-emit that server's errors (a taken port) as its own, and
 * graphql-ws would print each one with a stack trace. Listening errors belong to `listen` alone.
 * An upgrade for any other path is answered 400, as ws does with its `path` option. A message over
 * MAX_WEBSOCKET_MESSAGE_BYTES closes the socket (1009, message too big) before it is parsed.
 */
function acceptWebSockets(httpServer: http.Server, path: string): WebSocketServer {
  const websocketServer = new WebSocketServer({ noServer: true, path, maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES });
  httpServer.on('upgrade', (request, socket, head) => {
    websocketServer.handleUpgrade(request, socket, head, (websocket) => websocketServer.emit('connection', websocket, request));
  });
  return websocketServer;
}

/** Listens, or fails start-up with one line that says what to change (a taken port, a host that is not ours). */
function listen(httpServer: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      const fail = (message: string) => reject(new StartupFailure(message, { cause: error }));
      if (error.code === 'EADDRINUSE') fail(`port ${port} on ${host} is already in use (EADDRINUSE); stop the other process or set PORT`);
      else if (error.code === 'EACCES') fail(`not allowed to listen on ${where} (EACCES); choose a port above 1023 or set PORT`);
      else if (error.code === 'EADDRNOTAVAIL') fail(`cannot listen on ${where}: the address is not on this machine (EADDRNOTAVAIL); check HOST`);
      else reject(error);
    };
    httpServer.once('error', onError);
    httpServer.listen(port, host, () => {
      httpServer.off('error', onError);
      resolve();
    });
  });
}

/**
 * A request without a token gets a context with no principal (so `__typename` and the landing
 * page work); a request with a bad token is refused outright, on HTTP with 401 and the
 * UNAUTHENTICATED code (Apollo keeps a GraphQLError's extensions).
 */
async function authenticateHttp(services: Services, header: string | undefined): Promise<VerifiedToken | null> {
  try {
    return await authenticateBearer(services.tokens, header);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw graphQLRefusal(error.message, { extensions: { code: error.code, http: { status: 401 } } });
  }
}

function startSubscriptions(schema: GraphQLSchema, websocketServer: WebSocketServer, { services, rateLimits }: { services: Services; rateLimits: RateLimits }) {
  const { config } = services;
  const loaders = loaderFactoryOf(services);
  const formatError = withFieldSuggestions(config.exposure, createErrorFormatter(services.logger, services.outages));
  const limiter = new SubscriptionLimiter(config.subscriptionLimits, config.trustProxyHops);
  const checkOperation = webSocketOperationChecker({ schema, limits: config.requestLimits, exposure: config.exposure });
  // Registered before graphql-ws's own listener, so a socket over its IP's limit never gets further.
  websocketServer.on('connection', (socket, request) => limiter.admitSocket(socket, request));
  const principalKey = (verified: VerifiedToken | undefined) => verified?.principal.subject ?? '';
  return useServer<{ authorization?: string; Authorization?: string }, { verified?: VerifiedToken }>(
    {
      schema,
      connectionInitWaitTimeout: config.subscriptionLimits.connectionInitTimeoutMs,
      // The bearer token travels in connection_init; a bad one closes the socket (4403 Forbidden;
      // 4429 once its IP failed too often, or past the connection limits).
      onConnect: async (wsContext) => {
        const header = wsContext.connectionParams?.authorization ?? wsContext.connectionParams?.Authorization;
        const verified = await guardWebSocketAuthentication(rateLimits, wsContext.extra, () =>
          authenticateBearer(services.tokens, typeof header === 'string' ? header : undefined),
        );
        if (!verified) return false;
        wsContext.extra.verified = verified;
        return limiter.admitPrincipal(wsContext, principalKey(verified));
      },
      // graphql-ws parses and validates by itself; here it gets the same limits as HTTP. The
      // subscription limits are counted at once, in the order the messages came; the rest of the
      // work waits for the next turn of the event loop, since the WebSocket reader hands over every
      // message of a received chunk in one go (hundreds of subscribes in one go would otherwise
      // hold the loop for all of them, HTTP requests waiting behind).
      onSubscribe: (wsContext, _id, payload): ExecutionArgs | readonly GraphQLError[] | Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const refused = limiter.checkNewSubscription(wsContext, principalKey(wsContext.extra.verified));
        if (refused.length > 0) return refused;
        return nextTurn().then(() => {
          const checked = checkOperation(payload);
          if (Array.isArray(checked)) return checked;
          return { schema, document: checked.document, variableValues: checked.variables, operationName: payload.operationName };
        });
      },
      onOperation: (wsContext, _id, _payload, _args, result) => (isAsyncIterable(result) ? limiter.bound(wsContext, result) : undefined),
      context: (wsContext) =>
        createContext({
          principal: wsContext.extra.verified?.principal ?? null,
          tokenExpiresAt: wsContext.extra.verified?.expiresAt ?? null,
          clientIp: () => normaliseIp(wsContext.extra.request.socket.remoteAddress),
          requestId: randomUUID(),
          logger: () => services.logger,
          services,
          loaders,
        }),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => Object.assign(error, formatError(error, error))),
      // Errors inside results (a refused or failed subscribe, a failing event) go through the same
      // error mapper as HTTP, so nothing internal leaks over the socket either.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => Object.assign(error, formatError(error, error))) } : result,
    },
    websocketServer,
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** An IPv4 peer reaches Node as "::ffff:a.b.c.d"; providers expect "a.b.c.d". */
function normaliseIp(ip: string | undefined): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** Malformed JSON and other errors before GraphQL: a clear JSON answer, never a stack trace. */
function jsonErrorHandler(logger: Logger) {
  return (error: Error & { status?: number; type?: string }, request: Request, response: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, requestId: request.requestId }, 'unhandled HTTP error');
    if (error instanceof DomainError) {
      response.status(error.code === ErrorCode.UNAUTHENTICATED ? 401 : 400).json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
      return;
    }
    response.status(status).json({
      errors: [
        { message: status === 500 ? 'Internal server error' : error.message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } },
      ],
    });
  };
}
