import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { getIntrospectionQuery, graphqlSync } from 'graphql';
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

  // The check type-graphql's buildSchema would make at every start (src/server/schema.ts skips it there).
  it('answers the introspection query without errors', async () => {
    const result = graphqlSync({ schema: await buildCreditsSchema(), source: getIntrospectionQuery() });
    expect(result.errors).toBeUndefined();
  });
});
