import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { buildCreditsSchema } from '../../src/server/schema';

/**
 * `simpleResolvers` types answer their plain fields with GraphQL's default resolver, skipping
 * type-graphql's per-field middleware chain, and with it any `@Authorized` or `@UseMiddleware` on
 * such a field. This keeps that from happening unnoticed: a plain field of a simple type may carry
 * neither (field resolvers, `@FieldResolver`, are never simplified and keep theirs).
 */
describe('simpleResolvers object types', () => {
  it('have no roles or middlewares on their plain fields', async () => {
    await buildCreditsSchema();
    const storage = getMetadataStorage();
    const simpleTypes = storage.objectTypes.filter((type) => type.simpleResolvers === true);
    expect(simpleTypes.map((type) => type.name)).toEqual(
      expect.arrayContaining(['Balances', 'CreditTransfer', 'CreditMovement', 'PageInfo', 'CreditSummaryReport']),
    );
    const guarded = storage.fields
      .filter((field) => simpleTypes.some((type) => type.target === field.target || type.target.prototype instanceof field.target))
      .filter((field) => (field.roles?.length ?? 0) > 0 || (field.middlewares?.length ?? 0) > 0)
      .map((field) => `${field.target.name}.${field.name}`);
    expect(guarded).toEqual([]);
  });
});
