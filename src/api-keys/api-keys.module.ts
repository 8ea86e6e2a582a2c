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
