/**
 * Configuration: every setting declared once (settings.ts) with a zod schema, read and validated by
 * `loadConfig`, and listed in docs/configuration.md and `.env.example` by `npm run config:docs`.
 */
export * from './types';
export { ConfigError, DEVELOPMENT_API_KEY_PEPPER, DEVELOPMENT_JWT_SECRET, loadConfig } from './load';
export { environmentWithEnvFile } from './env-file';
export { readTracingConfig } from './tracing';
export type { Env } from './read';
export { SETTINGS, type SettingName } from './settings';
