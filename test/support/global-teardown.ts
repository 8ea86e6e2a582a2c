import fs from 'node:fs';
import { COMPILED_ROOT_VARIABLE } from './compiled-server';
import { dropTemplate, TEMPLATE_VARIABLE } from './mariadb-template';

/** Jest's global teardown: removes the run's compiled copy of the server and its MariaDB template. */
export default async function globalTeardown(): Promise<void> {
  const root = process.env[COMPILED_ROOT_VARIABLE];
  if (root) fs.rmSync(root, { recursive: true, force: true });
  const template = process.env[TEMPLATE_VARIABLE];
  if (template) await dropTemplate(process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306', template);
}
