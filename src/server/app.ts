import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { NextFunction, Request, Response } from 'express';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { VerifiedToken } from '../auth/jwt';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { Logger } from '../common/logger';
import { createContext, GraphQLContext } from './context';
import { createReportsRouter } from '../reports/reports.routes';
import { createErrorFormatter } from './error-mapper';
import { Metrics } from './metrics';
import { buildCreditsSchema } from './schema';
import { closeServices, Services } from './services';
import { createWebhooksRouter } from '../webhooks/webhooks.router';
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

/** Builds the HTTP app (express + Apollo + graphql-ws on the same port) and starts listening. */
export async function startServer(services: Services): Promise<RunningServer> {
  const { config, logger } = services;
  const schema = await buildCreditsSchema();
  const metrics = new Metrics();
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer, req.ip comes from X-Forwarded-For only for the proxies we trust.
  app.set('trust proxy', config.trustProxyHops);
  const httpServer = http.createServer(app);

  const websocketServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const websocketCleanup = startSubscriptions(schema, websocketServer, services);

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // main.ts owns SIGTERM/SIGINT (drain, then close the database); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await websocketCleanup.dispose(); } }; } },
      metrics.apolloPlugin(),
      refuseSubscriptionsOverHttp(),
      config.environment === 'production'
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }),
    ],
  });
  await apollo.start();

  app.use(requestIdentity(logger));
  app.use(metrics.httpMiddleware());
  // Credentials travel only as the bearer header, never cookies, so no credentials mode for CORS.
  app.use(cors({ origin: config.corsOrigins === '*' ? '*' : config.corsOrigins, credentials: false, maxAge: 600 }));

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    try {
      await services.runner.read((manager) => manager.query('SELECT 1'));
      response.json({ status: 'ready', database: services.runner.dialect, bus: services.bus.kind });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      response.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(createReportsRouter(services));

  app.use(createWebhooksRouter(services)); // raw bodies for signatures: before any JSON parser
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const verified = await authenticateHttp(services, req.headers.authorization);
        return createContext({
          principal: verified?.principal ?? null,
          tokenExpiresAt: verified?.expiresAt ?? null,
          clientIp: normaliseIp(req.ip),
          requestId: req.requestId,
          logger: req.log,
          services,
        });
      },
    }),
  );
  app.use(jsonErrorHandler(logger));

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  services.outbox.start(config.outboxPollIntervalMs);
  services.publicUrls.useListeningAddressUnlessConfigured(`http://${host}:${port}`);
  services.payments.connect(services.publicUrls.baseUrl());
  services.topUpExpiry.start(config.payments.expirySweepIntervalMs);
  services.expiry.start(config.promotionalExpiryJobIntervalMs);

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
        await closeServices(services);
      })();
      return stopping;
    },
  };
}

/**
 * A request without a token gets a context with no principal (so `__typename` and the landing
 * page work); a request with a bad token is refused outright.
 */
async function authenticate(services: Services, header: string | undefined): Promise<VerifiedToken | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The Authorization header must be "Bearer <token>".');
  return services.tokens.verify(match[1]);
}

/** A refused token on HTTP: 401 with the UNAUTHENTICATED code (Apollo keeps a GraphQLError's extensions). */
async function authenticateHttp(services: Services, header: string | undefined): Promise<VerifiedToken | null> {
  try {
    return await authenticate(services, header);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
  }
}

function startSubscriptions(schema: GraphQLSchema, websocketServer: WebSocketServer, services: Services) {
  const formatError = createErrorFormatter(services.logger);
  return useServer<{ authorization?: string; Authorization?: string }, { verified?: VerifiedToken }>(
    {
      schema,
      // The bearer token travels in connection_init; a bad one closes the socket (4403 Forbidden).
      onConnect: async (wsContext) => {
        const header = wsContext.connectionParams?.authorization ?? wsContext.connectionParams?.Authorization;
        try {
          const verified = await authenticate(services, typeof header === 'string' ? header : undefined);
          if (!verified) return false;
          wsContext.extra.verified = verified;
          return true;
        } catch {
          return false;
        }
      },
      context: (wsContext) =>
        createContext({
          principal: wsContext.extra.verified?.principal ?? null,
          tokenExpiresAt: wsContext.extra.verified?.expiresAt ?? null,
          clientIp: normaliseIp(wsContext.extra.request.socket.remoteAddress),
          requestId: randomUUID(),
          logger: services.logger,
          services,
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

/** An IPv4 peer reaches Node as "::ffff:a.b.c.d"; providers expect "a.b.c.d". */
function normaliseIp(ip: string | undefined): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function requestIdentity(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const incoming = request.header('x-request-id');
    request.requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    request.log = logger.child({ requestId: request.requestId });
    response.setHeader('x-request-id', request.requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      request.log.info(
        { method: request.method, path: request.path, status: response.statusCode, durationMs: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      );
    });
    next();
  };
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
      errors: [{ message: status === 500 ? 'Internal server error' : error.message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }],
    });
  };
}
