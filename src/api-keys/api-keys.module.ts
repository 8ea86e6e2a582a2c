import { defineModule } from '../feature-module';
import { API_KEY_ENTITIES } from './api-keys.entities';
import { ApiKeysResolver, TransferActorApiKeyResolver } from './api-keys.resolver';
import type { TokenVerifier } from '../auth/jwt';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import type { NotificationBus } from '../notifications/bus';
import { ApiKeyVerifier } from './api-key-verifier';
import { ApiKeysService } from './api-keys.service';

export interface ApiKeyServices {
  apiKeys: ApiKeysService;
  apiKeyVerifier: ApiKeyVerifier;
}

/** API keys: the service, and the verifier plugged into the token verifier every entry point uses. */
export function createApiKeys(dependencies: {
  config: Config;
  runner: TransactionRunner;
  bus: NotificationBus;
  tokens: TokenVerifier;
  logger: Logger;
}): ApiKeyServices {
  const { config, runner, bus, tokens } = dependencies;
  const apiKeyVerifier = new ApiKeyVerifier(runner, config.apiKeys, bus, dependencies.logger.child({ component: 'api-keys' }));
  tokens.useApiKeys(apiKeyVerifier);
  apiKeyVerifier.start();
  const apiKeys = new ApiKeysService(runner, config.apiKeys, (keyId) => apiKeyVerifier.announceRevoked(keyId));
  return { apiKeys, apiKeyVerifier };
}

declare module '../feature-module' {
  interface FeatureServices {
    apiKeys: ApiKeysService;
    apiKeyVerifier: ApiKeyVerifier;
  }
}

/**
 * API keys for scripts: the service, and the verifier plugged into the core's token verifier, so
 * every entry point (GraphQL, WebSocket, CSV routes, the rate-limit guard) accepts them. The
 * verifier listens for revocations from the moment it is built and stops at shutdown.
 */
export const apiKeysModule = defineModule({
  name: 'api-keys',
  entities: API_KEY_ENTITIES,
  resolvers: [ApiKeysResolver, TransferActorApiKeyResolver],
  create: ({ config, runner, bus, tokens, logger }) => {
    const services = createApiKeys({ config, runner, bus, tokens, logger });
    return { services, close: () => services.apiKeyVerifier.stop() };
  },
});
