import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { type GraphQLEnumType, GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType } from 'graphql';
import { buildCreditsSchema } from '../../src/server/schema';
import { applySchemaDescriptions } from '../../src/graphql/schema-descriptions';
import { printEnumReference } from '../../src/graphql/schema-reference';

const SOURCE = path.join(__dirname, '..', '..', 'src');

/** Every schema element without a description, as `Type`, `Type.field`, `Type.field(argument)` or `Enum.VALUE`. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (description: string | null | undefined, name: string) => {
    if (!description?.trim()) missing.push(name);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type.description, type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(field.description, `${type.name}.${field.name}`);
        if ('args' in field) for (const argument of field.args) check(argument.description, `${type.name}.${field.name}(${argument.name})`);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) check(value.description, `${type.name}.${value.name}`);
  }
  return missing;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The codes the source can put in `extensions.code`: `ErrorCode.X`, and literal `code: 'X'` / `withCode(error, 'X')`. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(SOURCE)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bErrorCode\.([A-Z_]+)/g)) codes.add(match[1]);
    for (const match of text.matchAll(/\bcode: '([A-Z_]+)'/g)) codes.add(match[1]);
    for (const match of text.matchAll(/withCode\([^,]+, '([A-Z_]+)'\)/g)) codes.add(match[1]);
  }
  return codes;
}

describe('a self-describing schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildCreditsSchema();
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('has no description in the central map that names nothing in the schema', () => {
    expect(applySchemaDescriptions(schema)).toEqual([]);
  });

  it('lists every extensions.code the source can produce in the documented ErrorCode enum', () => {
    const errorCode = schema.getType('ErrorCode') as GraphQLEnumType;
    expect(errorCode.description).toBeTruthy();
    const published = new Set(errorCode.getValues().map((value) => value.name));
    const produced = codesInSource();
    expect(produced.size).toBeGreaterThan(15);
    expect([...produced].filter((code) => !published.has(code)).sort()).toEqual([]);
  });

  it('has docs/reference/enums.md printed from the schema as it is', () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', 'docs', 'reference', 'enums.md'), 'utf8');
    if (committed !== printEnumReference(schema)) throw new Error('docs/reference/enums.md is stale: run `npm run schema` and commit the result.');
    expect(committed).toContain('- `PING`: A test event from sendTestWebhook');
  });

  it('lists every code Apollo Server itself answers with (the error mapper passes those through)', () => {
    const published = new Set((schema.getType('ErrorCode') as GraphQLEnumType).getValues().map((value) => value.name));
    expect(Object.values(ApolloServerErrorCode).filter((code) => !published.has(code))).toEqual([]);
  });
});
