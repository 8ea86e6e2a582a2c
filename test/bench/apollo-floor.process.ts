import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { serveBenchOperations } from './processes';

/**
 * The framework's own floor on this machine: Apollo Server 5, standalone, a one-field schema,
 * nothing else. `{ __typename }` here is what Apollo alone costs per request.
 */
async function main(): Promise<void> {
  const server = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  serveBenchOperations({ graphqlUrl: url }, { memory: async () => process.memoryUsage() }, () => server.stop());
}

void main();
