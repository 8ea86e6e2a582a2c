import { createRequire } from 'node:module';

const load = createRequire(__filename);

/**
 * The better-sqlite3 build for the running Node, handed to TypeORM as its driver. Node 22 and later
 * get 13.x (installed as `better-sqlite3-napi`, an optional dependency npm skips on Node 20), which
 * is built on Node-API: 12.x subclasses Node's raw ObjectWrap, and on Node 24 its statements'
 * destructors abort the process ("Assertion failed: (env) != nullptr"). Node 20 gets 12.x, which
 * 13 does not build on. Both have the same API.
 */
export function sqliteDriver(): unknown {
  const major = Number(process.versions.node.split('.')[0]);
  return load(major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');
}
