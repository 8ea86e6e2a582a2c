import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { ConsoleSignIn } from '../feature-module';
import { escapeForScript, projectRoot } from './explorer';

/**
 * The reference console (console/, built by `npm run build` into console/dist): its hashed assets
 * as static files, and index.html for every other path under /console (the single-page app routes
 * in the browser), with this request's settings written into it — the GraphQL path and, in the
 * embedded demo, the demo principals' sign-ins (docs/decisions/0252-console-sign-in.md).
 */
export const CONSOLE_PATH = '/console';

export type ConsoleSignIns = () => Promise<ConsoleSignIn[]>;

/** console/dist under the project root. */
export function consoleBuildDirectory(): string {
  return path.join(projectRoot(), 'console', 'dist');
}

export function consoleRoutes(signIns: ConsoleSignIns, graphqlPath = '/graphql'): Router {
  const router = express.Router();
  const directory = consoleBuildDirectory();
  // Vite names every asset by its content hash: a year of caching is safe, and a new build has new names.
  router.use(`${CONSOLE_PATH}/assets`, express.static(path.join(directory, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
  router.get([CONSOLE_PATH, `${CONSOLE_PATH}/{*rest}`], async (_request, response, next) => {
    try {
      const page = path.join(directory, 'index.html');
      // Read per request: a rebuild while the server runs is served at once, and the demo's tokens are fresh.
      if (!existsSync(page)) return void response.status(503).type('html').send(missingBuildPage());
      const settings = { graphqlPath, demoSignIns: await signIns() };
      const html = readFileSync(page, 'utf8').replace(
        '<!--console-settings-->',
        `<script id="console-settings" type="application/json">${escapeForScript(JSON.stringify(settings))}</script>`,
      );
      response.set('cache-control', 'no-store').type('html').send(html);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function missingBuildPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Credits BFF — console not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
  <h1>The console is not built</h1>
  <p>Run <code>npm run build</code> (it needs the dev dependencies) and reload this page.
  The API itself works: POST GraphQL requests to <code>/graphql</code>.</p>
</body></html>`;
}
