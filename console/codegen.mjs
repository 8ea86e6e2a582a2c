// Generates the console's typed operations (console/src/gql/) from schema/schema.graphql and the
// operations in console/src/**/*.graphql, with GraphQL Code Generator's client preset run through
// @graphql-codegen/core (the CLI's loaders, watchers and prompts are not needed for one schema file
// and a folder of .graphql files). `npm run console:codegen` writes the files; `--check` writes
// nothing and exits 1 when the committed files differ from what the schema and operations give
// (test/unit/console-codegen.test.ts runs it).
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import { preset } from '@graphql-codegen/client-preset';
import { buildSchema, parse, validate } from 'graphql';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const source = path.join(here, 'src');
const outputDirectory = path.join(source, 'gql');
const check = process.argv.includes('--check');

const config = {
  // Credits are exact decimal strings and instants ISO strings on the wire: never a float.
  scalars: { Credits: 'string', DateTimeISO: 'string' },
  enumsAsTypes: true,
  useTypeImports: true,
  skipTypename: false,
};

/** Every .graphql file under console/src, sorted, so the output does not depend on the file system's order. */
function operationFiles(directory) {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'gql' ? [] : operationFiles(full);
      return entry.name.endsWith('.graphql') ? [full] : [];
    })
    .sort();
}

export async function generate() {
  const schemaText = readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8');
  const schemaAst = buildSchema(schemaText);
  const schema = parse(schemaText);
  const documents = operationFiles(source).map((file) => ({
    location: path.relative(root, file),
    document: parse(readFileSync(file, 'utf8')),
    rawSDL: readFileSync(file, 'utf8'),
  }));
  // An operation the schema does not allow fails here, with the file, not later in the browser.
  const invalid = documents.flatMap(({ location, document }) => validate(schemaAst, document).map((error) => `${location}: ${error.message}`));
  if (invalid.length > 0) throw new Error(`console: operations that do not match the schema:\n${invalid.join('\n')}`);
  const sections = await preset.buildGeneratesSection({
    baseOutputDir: `${outputDirectory}/`,
    schema,
    schemaAst,
    documents,
    config,
    presetConfig: { fragmentMasking: false },
    plugins: [],
    pluginMap: {},
    documentTransforms: [],
  });
  const files = {};
  for (const section of sections) {
    files[path.relative(outputDirectory, section.filename)] = await codegen({ ...section, config: { ...config, ...section.config } });
  }
  return files;
}

const files = await generate();
if (check) {
  const stale = Object.entries(files).filter(([name, text]) => {
    const file = path.join(outputDirectory, name);
    return !existsSync(file) || readFileSync(file, 'utf8') !== text;
  });
  const extra = existsSync(outputDirectory) ? readdirSync(outputDirectory).filter((name) => !(name in files)) : [];
  if (stale.length > 0 || extra.length > 0) {
    console.error(
      `console: the generated operation types are stale (${[...stale.map(([name]) => name), ...extra].join(', ')}); run \`npm run console:codegen\`.`,
    );
    process.exit(1);
  }
  console.log('console: the generated operation types are current.');
} else {
  mkdirSync(outputDirectory, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(outputDirectory, name), text);
  console.log(`console: generated ${Object.keys(files).join(', ')} in ${path.relative(process.cwd(), outputDirectory) || outputDirectory}`);
}
