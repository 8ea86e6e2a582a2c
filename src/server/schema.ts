import { assertValidSchema, GraphQLEnumType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { ERROR_CODE_DESCRIPTIONS } from '../common/domain-error';
import type { FeatureModule } from '../feature-module';
import { authChecker } from '../graphql/auth-checker';
import { applySchemaDescriptions } from '../graphql/schema-descriptions';
import { MODULES } from './modules';

/** Every `extensions.code` the API answers with (src/common/domain-error.ts). */
export const ERROR_CODE_ENUM = new GraphQLEnumType({
  name: 'ErrorCode',
  description:
    "Every `extensions.code` an error of this API can carry, and what it means. No field returns it: the code travels in each error's `extensions.code`.",
  values: Object.fromEntries(Object.entries(ERROR_CODE_DESCRIPTIONS).map(([code, description]) => [code, { value: code, description }])),
});

/** The GraphQL schema of a module list: every module's resolvers, one auth checker, the descriptions. */
export async function buildCreditsSchema(modules: readonly FeatureModule[] = MODULES): Promise<GraphQLSchema> {
  const resolvers = modules.flatMap((module) => module.resolvers ?? []) as NonEmptyArray<NonNullable<FeatureModule['resolvers']>[number]>;
  // Every subscription names its own `subscribe` function over the NotificationBus, so type-graphql's
  // topic-based pubSub is never used; buildSchema still insists on having one. Access is declared
  // with @Authorized(...) on each field and decided by the one auth checker. skipCheck: type-graphql's
  // check runs the whole introspection query over the new schema (about a quarter of a second, at every
  // start); assertValidSchema below finds what makes a schema unusable, and the schema unit test
  // (test/unit/schema.test.ts) answers the introspection query once per run.
  const schema = await buildSchema({ resolvers, validate: false, emitSchemaFile: false, pubSub: createPubSub(), authChecker, skipCheck: true });
  const config = schema.toConfig();
  // ErrorCode is no field's type (codes travel in extensions.code), so it is added to the schema by hand.
  const described = new GraphQLSchema({ ...config, types: [...config.types, ERROR_CODE_ENUM] });
  assertValidSchema(described);
  applySchemaDescriptions(described);
  return described;
}

/** The committed `schema/schema.graphql`: sorted, so it changes only when the API does. */
export function printCommittedSchema(schema: GraphQLSchema): string {
  return `# Generated from the type-graphql code by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
