import type { AccountEntity } from '../accounts/entities/account.entity';
import { AccessPolicy } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import type { Logger } from '../common/logger';
import { createLoaders, Loaders } from './loaders';
import type { Services } from '../server/services';

export interface GraphQLContext {
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
export function createContext(options: Omit<GraphQLContext, 'loaders' | 'clientIp'> & { clientIp: () => string | null }): GraphQLContext {
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
      loaders ??= createLoaders(options.services);
      return loaders;
    },
  };
}

/**
 * Checks that the principal may read an account without loading it when it is the principal's
 * own (the token already says so); the hot `balances` query relies on this.
 */
export async function assertCanReadAccount(context: GraphQLContext, accountId: string): Promise<void> {
  const principal = AccessPolicy.requireAuthenticated(context.principal);
  if (principal.accountId === accountId) return;
  await loadVisibleAccount(context, accountId);
}

/** Loads an account the principal may read, or refuses (FORBIDDEN; NOT_FOUND for the admin). */
export async function loadVisibleAccount(context: GraphQLContext, accountId: string): Promise<AccountEntity> {
  AccessPolicy.requireAuthenticated(context.principal);
  const account = await context.loaders.account.load(accountId);
  return AccessPolicy.assertCanRead(context.principal, accountId, account);
}
