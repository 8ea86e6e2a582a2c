import fs from 'node:fs';
import { COMPILED_ROOT_VARIABLE } from './compiled-server';

/** Jest's global teardown: removes the run's compiled copy of the server. */
export default function globalTeardown(): void {
  const root = process.env[COMPILED_ROOT_VARIABLE];
  if (root) fs.rmSync(root, { recursive: true, force: true });
}
