import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import type { FeatureModule } from '../feature-module';
import { authChecker } from '../graphql/auth-checker';
import { MODULES } from './modules';

/** The GraphQL schema of a module list: every module's resolvers, one auth checker. */
export async function buildCreditsSchema(modules: readonly FeatureModule[] = MODULES): Promise<GraphQLSchema> {
  const resolvers = modules.flatMap((module) => module.resolvers ?? []) as NonEmptyArray<NonNullable<FeatureModule['resolvers']>[number]>;
  // Every subscription names its own `subscribe` function over the NotificationBus, so type-graphql's
  // topic-based pubSub is never used; buildSchema still insists on having one. Access is declared
  // with @Authorized(...) on each field and decided by the one auth checker.
  return buildSchema({ resolvers, validate: false, emitSchemaFile: false, pubSub: createPubSub(), authChecker });
}

/** The committed `schema/schema.graphql`: sorted, so it changes only when the API does. */
export function printCommittedSchema(schema: GraphQLSchema): string {
  return `# Generated from the type-graphql code by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
