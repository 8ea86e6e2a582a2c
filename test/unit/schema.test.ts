import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildCreditsSchema, printCommittedSchema } from '../../src/server/schema';

const COMMITTED_SCHEMA = path.join(__dirname, '..', '..', 'schema', 'schema.graphql');

describe('the committed schema', () => {
  it('matches the schema built from the code', async () => {
    const built = printCommittedSchema(await buildCreditsSchema());
    const committed = fs.readFileSync(COMMITTED_SCHEMA, 'utf8');
    if (built !== committed) {
      throw new Error('schema/schema.graphql is stale: run `npm run schema` and commit the result.');
    }
  });
});
