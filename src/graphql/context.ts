import type { Principal } from '../auth/principal';
import type { Logger } from '../common/logger';
import type { LoaderFactory, Loaders } from './loaders';

/**
 * What every resolver gets: the caller, the request's loaders, and `services`, typed per feature.
 * A feature's resolvers name the services they use in an interface of their own
 * (`GraphQLContext<TopUpsResolverServices>`), never the whole composition root; the object behind
 * it is the composition root's services, which the feature modules provide.
 */
export interface GraphQLContext<Services = unknown> {
  principal: Principal | null;
  /** When the bearer token expires (ms since epoch); subscriptions stop delivering after it. */
  tokenExpiresAt: number | null;
  /** The caller's IP (behind TRUST_PROXY_HOPS proxies: from X-Forwarded-For); VNPay wants the buyer's. */
  clientIp: string | null;
  requestId: string;
  logger: Logger;
  services: Services;
  loaders: Loaders;
}

/**
 * A request's context. The dataloaders and the client's IP are made on first use: most requests
 * (`{ __typename }`, a balance read by the owner) need neither, and every request would pay for them.
 */
export function createContext<Services>(
  options: Omit<GraphQLContext<Services>, 'loaders' | 'clientIp'> & { clientIp: () => string | null; loaders: LoaderFactory },
): GraphQLContext<Services> {
  let loaders: Loaders | undefined;
  let clientIp: string | null | undefined;
  return {
    principal: options.principal,
    tokenExpiresAt: options.tokenExpiresAt,
    requestId: options.requestId,
    logger: options.logger,
    services: options.services,
    get clientIp() {
      if (clientIp === undefined) clientIp = options.clientIp();
      return clientIp;
    },
    get loaders() {
      loaders ??= options.loaders();
      return loaders;
    },
  };
}
