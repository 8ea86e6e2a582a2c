import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { Env } from './read';

/**
 * The environment with a `.env` file's variables beneath it, when the file exists (in the working
 * directory by default; `.env.example` lists every variable). A variable already set wins, so the
 * file never overrides the real environment.
 */
export function environmentWithEnvFile(env: Env = process.env, file = path.resolve('.env')): Env {
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}
