import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Runs one group of integration files (jest.config.js shares them out, its `TEST_FILE_GROUPS` global)
 * in this test file's module registry: each file's tests, hooks included, in a describe block named
 * after the file, one file after the other, as if jest ran them in turn; the server's modules are
 * loaded once for the group.
 */
export function runFileGroup(groupFile: string): void {
  const groups = (globalThis as { TEST_FILE_GROUPS?: Record<string, string[]> }).TEST_FILE_GROUPS;
  const files = groups?.[path.relative(ROOT, groupFile)];
  if (!files) throw new Error(`${groupFile}: jest.config.js gave it no files (a run that names files runs each alone)`);
  for (const file of files) {
    describe(file, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a describe block is synchronous; import() is not
      require(path.join(ROOT, file));
    });
  }
}
