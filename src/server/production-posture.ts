import { type Config, DEVELOPMENT_JWT_SECRET } from '../config';

/**
 * What production refuses to start with: anything of the demo, and settings that would let a
 * forgotten variable go live. Each refusal names the variable and what to do; none prints a value.
 * Checked by src/main.ts before anything starts (no database, no seed, no token).
 */
export function productionRefusals(config: Config): string[] {
  if (config.environment !== 'production') return [];
  const refusals: string[] = [];
  if (config.database.kind === 'sqlite' && !config.allowSqliteInProduction) {
    refusals.push('DATABASE_URL is required (the embedded SQLite is refused unless ALLOW_SQLITE_IN_PRODUCTION=true)');
  }
  if (config.seedDemoData) refusals.push('SEED_DEMO_DATA=true is refused (no demo data in production)');
  if (config.auth.hmacSecret === DEVELOPMENT_JWT_SECRET) refusals.push('JWT_SECRET is the development secret (set a secret of your own)');
  if (config.corsOrigins === '*') refusals.push('CORS_ORIGINS=* is refused (name the console origins)');
  if (!config.auth.issuer) refusals.push('JWT_ISSUER is required');
  if (!config.auth.audience) refusals.push('JWT_AUDIENCE is required');
  return refusals;
}

/** The one line printed on stderr when production refuses to start. */
export function productionRefusalMessage(refusals: string[]): string {
  return `Refusing to start in production: ${refusals.join('; ')}.`;
}
