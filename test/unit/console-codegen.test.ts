// The console's typed operations (console/src/gql) are generated from schema/schema.graphql and
// console/src/**/*.graphql; committed files that no longer match what they give fail here, as a
// stale schema/schema.graphql fails schema.test.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CODEGEN = path.join(__dirname, '../../console/codegen.mjs');

describe('the console generated operation types', () => {
  it('are what the schema and the operations give (npm run console:codegen)', () => {
    const run = spawnSync(process.execPath, [CODEGEN, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});
