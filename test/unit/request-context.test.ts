import { ApolloServer } from '@apollo/server';
import type { Logger } from '../../src/common/logger';
import { createContext, GraphQLContext } from '../../src/graphql/context';
import type { Loaders } from '../../src/graphql/loaders';

/**
 * Apollo Server hands resolvers a copy of the context object (Object.assign onto an object with
 * the same prototype). The request's loaders, client IP and child logger must still be made only
 * when a resolver reads them, and once per request.
 */
describe('request context', () => {
  const made = { loaders: 0, clientIp: 0, logger: 0 };
  const context = () =>
    createContext({
      principal: null,
      tokenExpiresAt: null,
      requestId: 'request-1',
      services: {},
      loaders: () => {
        made.loaders++;
        return { marker: made.loaders } as unknown as Loaders;
      },
      clientIp: () => {
        made.clientIp++;
        return '198.51.100.7';
      },
      logger: () => {
        made.logger++;
        return { name: 'child' } as unknown as Logger;
      },
    });
  const apollo = new ApolloServer<GraphQLContext>({
    typeDefs: 'type Query { plain: String, everything: String }',
    resolvers: {
      Query: {
        plain: () => 'plain',
        everything: (_parent: unknown, _args: unknown, value: GraphQLContext) => {
          // Read twice: made once.
          const first = [value.loaders, value.clientIp, value.logger];
          const second = [value.loaders, value.clientIp, value.logger];
          return JSON.stringify({ same: first.every((item, index) => item === second[index]), ip: value.clientIp, requestId: value.requestId });
        },
      },
    },
  });
  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());
  beforeEach(() => Object.assign(made, { loaders: 0, clientIp: 0, logger: 0 }));

  it('makes nothing for a request whose resolvers do not ask', async () => {
    const result = await apollo.executeOperation({ query: '{ plain __typename }' }, { contextValue: context() });
    expect(result.body.kind === 'single' && result.body.singleResult).toEqual({ data: { plain: 'plain', __typename: 'Query' } });
    expect(made).toEqual({ loaders: 0, clientIp: 0, logger: 0 });
  });

  it('makes each on first use, once, and keeps the plain members through Apollo’s copy', async () => {
    const result = await apollo.executeOperation({ query: '{ everything }' }, { contextValue: context() });
    const answer = result.body.kind === 'single' ? (result.body.singleResult.data?.everything as string) : '';
    expect(JSON.parse(answer)).toEqual({ same: true, ip: '198.51.100.7', requestId: 'request-1' });
    expect(made).toEqual({ loaders: 1, clientIp: 1, logger: 1 });
  });
});
