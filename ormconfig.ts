import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/database/data-source';
import { ENTITIES } from './src/server/modules';

/**
 * The DataSource for TypeORM's CLI (`npm run migrate`, `migration:generate`): MySQL/MariaDB from
 * DATABASE_URL. The embedded SQLite file needs no migrations.
 */
const config = loadConfig();
if (config.database.kind !== 'mysql') {
  throw new Error('Set DATABASE_URL=mysql://user:password@host:3306/database to run migrations.');
}
export default createDataSource(config.database, ENTITIES);
