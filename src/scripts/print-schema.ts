import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildCreditsSchema, printCommittedSchema } from '../server/schema';

/** Writes schema/schema.graphql from the code (`npm run schema`); a test fails when it is stale. */
async function main(): Promise<void> {
  const target = path.join(__dirname, '..', '..', 'schema', 'schema.graphql');
  fs.writeFileSync(target, printCommittedSchema(await buildCreditsSchema()));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
