import { COMPILED_ROOT_VARIABLE, compileServer, removeAbandonedCompilations } from './compiled-server';

/**
 * Jest's global setup: compiles the server once for the whole run (about one CPU second), so every
 * test that starts the real process runs that copy; the workers inherit the variable naming it.
 */
export default function globalSetup(): void {
  removeAbandonedCompilations();
  process.env[COMPILED_ROOT_VARIABLE] = compileServer().root;
}
