import type { DataSource } from 'typeorm';

/**
 * Observes every SQL statement the server's DataSource sends (through TypeORM's logger hook, which
 * both drivers call for each statement), so a test can count what one request costs. Nothing is
 * mocked: the statements still run as usual.
 */
export function observeStatements(dataSource: DataSource) {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let recording: string[] | null = null;
  logger.logQuery = (query, parameters, queryRunner) => {
    recording?.push(query);
    return original(query, parameters, queryRunner);
  };
  return {
    /** The statements sent while `work` ran. */
    async during(work: () => Promise<unknown>): Promise<string[]> {
      const statements: string[] = [];
      recording = statements;
      try {
        await work();
      } finally {
        recording = null;
      }
      return statements;
    },
    restore() {
      logger.logQuery = original;
    },
  };
}
