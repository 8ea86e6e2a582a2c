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

export interface ContextOptions<Services> {
  principal: Principal | null;
  tokenExpiresAt: number | null;
  requestId: string;
  /** The request's logger (carrying its request id), made on first use. */
  logger: () => Logger;
  services: Services;
  /** The caller's IP, read on first use. */
  clientIp: () => string | null;
  loaders: LoaderFactory;
}

/**
 * A request's context. The dataloaders, the client's IP and the request's child logger are made on
 * first use: most requests (`{ __typename }`, a balance read by the owner) need none of them, and
 * every request would pay for them.
 *
 * The lazy members are getters on the class's prototype, not on the object: Apollo Server hands
 * resolvers a copy of the context (`Object.assign(Object.create(prototype), context)`), which
 * copies own properties (an own getter would be called then, for every request) and keeps the
 * prototype, so the copy stays lazy. The state is plain own properties, copied as they are.
 */
class RequestContext<Services> implements GraphQLContext<Services> {
  principal: Principal | null;
  tokenExpiresAt: number | null;
  requestId: string;
  services: Services;
  private made: { loaders?: Loaders; clientIp?: string | null; logger?: Logger } = {};

  constructor(private readonly options: ContextOptions<Services>) {
    this.principal = options.principal;
    this.tokenExpiresAt = options.tokenExpiresAt;
    this.requestId = options.requestId;
    this.services = options.services;
  }

  get loaders(): Loaders {
    // A fresh object per copy: Apollo's copy shares `made` with the original, which is the one request either way.
    return (this.made.loaders ??= this.options.loaders());
  }

  get clientIp(): string | null {
    if (this.made.clientIp === undefined) this.made.clientIp = this.options.clientIp();
    return this.made.clientIp;
  }

  get logger(): Logger {
    return (this.made.logger ??= this.options.logger());
  }
}

export function createContext<Services>(options: ContextOptions<Services>): GraphQLContext<Services> {
  return new RequestContext(options);
}
