import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnEntry } from '../support/server-process';

/** The real process: started as `npm start` would, stopped with SIGTERM / SIGINT. */

describe('graceful shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`drains and exits 0 on ${signal}`, async () => {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credits-shutdown-'));
      const child = spawnEntry({
        ...process.env,
        PORT: '0',
        SQLITE_PATH: path.join(directory, 'db.sqlite'),
        SEED_DEMO_DATA: 'false',
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
          child.stdout.on('data', () => {
            const match = /"url":"(http:[^"]+)"/.exec(output);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
        });
        const ready = await fetch(url.replace('/graphql', '/readyz'));
        expect(ready.status).toBe(200);
        const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill(signal);
        expect(await exitCode).toBe(0);
        expect(output).toContain('stopped cleanly');
      } finally {
        child.kill('SIGKILL');
        fs.rmSync(directory, { recursive: true, force: true });
      }
    });
  }
});
