import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderEnvExample, withTables } from '../config/docs';

/**
 * `npm run config:docs`: writes the configuration tables of docs/configuration.md (between its
 * markers; the prose around them stays) and `.env.example` from src/config/settings.ts.
 */
const ROOT = path.join(__dirname, '..', '..');
const DOCUMENT = path.join(ROOT, 'docs', 'configuration.md');

writeFileSync(DOCUMENT, withTables(readFileSync(DOCUMENT, 'utf8')));
writeFileSync(path.join(ROOT, '.env.example'), renderEnvExample());
console.log('wrote docs/configuration.md (settings tables) and .env.example');
