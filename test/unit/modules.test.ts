import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { getMetadataArgsStorage } from 'typeorm';
import type { FeatureModule } from '../../src/feature-module';
import { ENTITIES, MODULES } from '../../src/server/modules';

const SRC = path.join(__dirname, '../../src');

function filesUnder(directory: string, suffix: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(full, suffix);
    return entry.name.endsWith(suffix) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(SRC, file);

/** A source file's exports, loaded by path (the files are found at run time, so no static import). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exportsOf = (file: string) => require(file) as Record<string, unknown>;

function isFeatureModule(value: unknown): value is FeatureModule {
  return typeof value === 'object' && value !== null && typeof (value as FeatureModule).name === 'string' && 'create' in value;
}

describe('the feature modules', () => {
  // The embedded demo is the one module start-up code adds on purpose (src/demo/demo.module.ts).
  const moduleFiles = filesUnder(SRC, '.module.ts').filter((file) => !relative(file).startsWith('demo/'));

  it('lists every feature folder’s module in src/server/modules.ts', () => {
    const missing: string[] = [];
    for (const file of moduleFiles) {
      const exported = Object.values(exportsOf(file)).filter(isFeatureModule);
      expect(exported.length).toBeGreaterThan(0);
      for (const module of exported) if (!MODULES.includes(module)) missing.push(`${module.name} (${relative(file)})`);
    }
    expect(missing).toEqual([]);
  });

  it('gives every module a distinct name', () => {
    const names = MODULES.map((module) => module.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('serves every resolver class through some module', () => {
    const listed = new Set(MODULES.flatMap((module) => module.resolvers ?? []));
    const unlisted = filesUnder(SRC, '.resolver.ts').flatMap((file) =>
      Object.entries(exportsOf(file))
        .filter(([name, value]) => typeof value === 'function' && name.endsWith('Resolver') && !listed.has(value))
        .map(([name]) => `${name} (${relative(file)})`),
    );
    expect(unlisted).toEqual([]);
  });

  it('registers every entity class with the data source', () => {
    for (const file of filesUnder(SRC, '.entity.ts')) exportsOf(file);
    const registered = new Set<unknown>(ENTITIES);
    const tables = getMetadataArgsStorage().tables.map((table) => table.target);
    const unregistered = tables.filter((target) => typeof target === 'function' && !registered.has(target)).map((target) => (target as { name: string }).name);
    expect(unregistered).toEqual([]);
  });
});

describe('src/server', () => {
  const MAX_FUNCTION_LINES = 60;

  it(`has no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const tooLong: string[] = [];
    for (const file of filesUnder(path.join(SRC, 'server'), '.ts')) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
          const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          const lines = last - first + 1;
          if (lines > MAX_FUNCTION_LINES) tooLong.push(`${relative(file)}:${first + 1} (${lines} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(tooLong).toEqual([]);
  });
});
