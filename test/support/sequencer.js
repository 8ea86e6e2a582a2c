// Jest's own order (failed files first, then files without timings, then the longest first), with one
// change for files that have no timings yet (a fresh clone), which jest runs largest first: there, the
// files jest.config.js names in TEST_RUN_FIRST come first, then the group files (test/groups/), each as
// large as the integration files it runs, not the few bytes it is; then the rest, largest first.
const fs = require('node:fs');
const path = require('node:path');
const TestSequencer = require('@jest/test-sequencer').default;

class GroupsBySizeSequencer extends TestSequencer {
  sort(tests) {
    const ranks = new Map();
    const rank = (test) => {
      if (!ranks.has(test.path)) ranks.set(test.path, rankOf(test));
      return ranks.get(test.path);
    };
    for (const test of tests) test.duration = this.time(test);
    return tests.sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      const timedA = a.duration != null;
      if (timedA !== (b.duration != null)) return timedA ? 1 : -1;
      if (timedA) return b.duration - a.duration;
      const [classA, sizeA] = rank(a);
      const [classB, sizeB] = rank(b);
      return classA - classB || sizeB - sizeA;
    });
  }
}

/** [class, size]: 0 for a file to run first, 1 for a group file, 2 for any other; the size in bytes, a group's its files'. */
function rankOf(test) {
  const { rootDir, globals } = test.context.config;
  const relative = path.relative(rootDir, test.path);
  const group = globals.TEST_FILE_GROUPS?.[relative];
  const files = group ?? [relative];
  const size = files.reduce((total, file) => total + fs.statSync(path.resolve(rootDir, file)).size, 0);
  const first = (globals.TEST_RUN_FIRST ?? []).includes(relative);
  return [first ? 0 : group ? 1 : 2, size];
}

module.exports = GroupsBySizeSequencer;
