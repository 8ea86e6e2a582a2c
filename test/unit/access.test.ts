import 'reflect-metadata';
import type { GraphQLField, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { buildCreditsSchema } from '../../src/server/schema';

/**
 * Every root field declares its access with @Authorized: called without a principal, each one is
 * refused by the auth checker (UNAUTHENTICATED) before its resolver runs. The context has no
 * services and no loaders, so a field that reached its resolver would fail differently.
 */
describe('declarative access', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildCreditsSchema();
  });

  const rootFields = () =>
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.values(type.getFields()).map((field) => ({ type, field })) : [],
    );

  it('refuses an anonymous caller on every root field before its resolver runs', async () => {
    const outcomes: Record<string, string> = {};
    for (const { type, field } of rootFields()) {
      const info = { schema, parentType: type, fieldName: field.name, operation: {} } as unknown as GraphQLResolveInfo;
      const context = { principal: null, tokenExpiresAt: null, services: {}, loaders: {} };
      const call = (field as GraphQLField<unknown, unknown>).subscribe ?? field.resolve!;
      try {
        await call(undefined, {}, context, info);
        outcomes[`${type.name}.${field.name}`] = 'answered';
      } catch (error) {
        outcomes[`${type.name}.${field.name}`] = (error as { code?: string }).code ?? String(error);
      }
    }
    const refused = Object.fromEntries(Object.keys(outcomes).map((key) => [key, 'UNAUTHENTICATED']));
    expect(Object.keys(outcomes).length).toBeGreaterThan(30);
    expect(outcomes).toEqual(refused);
  });
});
