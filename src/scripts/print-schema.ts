import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildCreditsSchema, printCommittedSchema } from '../server/schema';
import { printEnumReference } from '../graphql/schema-reference';

/** Writes schema/schema.graphql and docs/reference/enums.md from the code (`npm run schema`); a test fails when either is stale. */
async function main(): Promise<void> {
  const target = path.join(__dirname, '..', '..', 'schema', 'schema.graphql');
  const schema = await buildCreditsSchema();
  fs.writeFileSync(target, printCommittedSchema(schema));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
  const reference = path.join(__dirname, '..', '..', 'docs', 'reference', 'enums.md');
  fs.mkdirSync(path.dirname(reference), { recursive: true });
  fs.writeFileSync(reference, printEnumReference(schema));
  console.log(`wrote ${path.relative(process.cwd(), reference)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
