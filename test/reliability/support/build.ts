import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { transformFileSync } from '@swc/core';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Compiles `src/` and `migrations/` to JavaScript for a child-process server. swc with decorator
 * metadata (as the jest transform does) takes a second or two where `tsc` takes a minute on this
 * machine; type checking stays with `npm run typecheck`. The output goes under
 * `node_modules/.cache` so the server's requires resolve the project's own `node_modules`.
 */
export function buildServer(): { mainFile: string; remove(): void } {
  const outputDirectory = path.join(ROOT, 'node_modules', '.cache', 'credits-reliability', `${process.pid}-${randomBytes(3).toString('hex')}`);
  for (const folder of ['src', 'migrations']) compileFolder(path.join(ROOT, folder), path.join(outputDirectory, folder));
  return {
    mainFile: path.join(outputDirectory, 'src', 'main.js'),
    remove: () => fs.rmSync(outputDirectory, { recursive: true, force: true }),
  };
}

function compileFolder(sourceDirectory: string, outputDirectory: string): void {
  for (const entry of fs.readdirSync(sourceDirectory, { withFileTypes: true })) {
    const source = path.join(sourceDirectory, entry.name);
    if (entry.isDirectory()) {
      compileFolder(source, path.join(outputDirectory, entry.name));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const { code } = transformFileSync(source, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: false,
      });
      fs.mkdirSync(outputDirectory, { recursive: true });
      fs.writeFileSync(path.join(outputDirectory, entry.name.replace(/\.ts$/, '.js')), code);
    } else if (entry.isFile() && !entry.name.endsWith('.ts')) {
      fs.mkdirSync(outputDirectory, { recursive: true });
      fs.copyFileSync(source, path.join(outputDirectory, entry.name));
    }
  }
}
