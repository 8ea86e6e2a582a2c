import path from 'node:path';
import { compileServer } from '../../support/compiled-server';

/** A compiled copy of the server for a scenario's child process (test/support/compiled-server.ts). */
export function buildServer(): { mainFile: string; remove(): void } {
  const { root, remove } = compileServer();
  return { mainFile: path.join(root, 'src', 'main.js'), remove };
}
