import DataLoader from 'dataloader';

/**
 * Per-request batching: every account, balance or billing lookup in one GraphQL request that
 * happens in the same tick becomes one SQL statement, so a page costs a constant number of them.
 *
 * Empty here: each feature's module adds its loaders by declaration merging
 * (`declare module '../graphql/loaders' { interface Loaders { account: DataLoader<...> } }`) and
 * builds them in its `loaders` part; the context makes a request's set on first use.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

/** Builds one request's loaders (the composition root folds every module's factory into one). */
export type LoaderFactory = () => Loaders;

/** A loader keyed by id whose batch read returns rows in any order: answers in the keys' order, null for a missing one. */
export function loaderById<Row>(readMany: (ids: readonly string[]) => Promise<Row[]>, idOf: (row: Row) => string): DataLoader<string, Row | null> {
  return new DataLoader(async (ids) => {
    const rows = await readMany(ids);
    const byId = new Map(rows.map((row) => [idOf(row), row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
