import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { Router } from 'express';

/**
 * The development landing page: GraphiQL bundled from npm by `explorer/build.mjs` and served from
 * this server, so exploring the API needs no internet (Apollo Sandbox loads its UI from a CDN; it
 * stays one link away for those who are online).
 */
export const EXPLORER_ASSETS_PATH = '/explorer/';

const DEFAULT_QUERY = `# The header editor below carries a demo token when the demo data is seeded.
# Subscriptions run over graphql-ws on the same URL.
query Me {
  me {
    subject
    role
    account { id name status }
  }
}
`;

/** The project root (the folder with package.json), whether this file runs from src/ (ts-node, jest) or dist/src/. */
export function projectRoot(): string {
  let directory = __dirname;
  while (!existsSync(path.join(directory, 'package.json')) && path.dirname(directory) !== directory) {
    directory = path.dirname(directory);
  }
  return directory;
}

/** explorer/dist under the project root. */
export function explorerBundleDirectory(): string {
  return path.join(projectRoot(), 'explorer', 'dist');
}

/** Serves the bundle's files (immutable per build: the page asks for them by fixed names, so no long caching). */
export function explorerAssets(): Router {
  const router = express.Router();
  router.use(EXPLORER_ASSETS_PATH, express.static(explorerBundleDirectory(), { index: false, maxAge: 0 }));
  return router;
}

/** Headers the page fills in, asked for per request (the demo module gives its token). */
export type ExplorerHeaders = () => Promise<Record<string, string>>;

/** Apollo's landing-page hook: the page is rendered per request, so the demo token is always fresh. */
export function explorerLandingPage(headers: ExplorerHeaders, graphqlPath = '/graphql'): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: async () => renderExplorerPage(headers, graphqlPath) };
        },
      };
    },
  };
}

async function renderExplorerPage(headers: ExplorerHeaders, graphqlPath: string): Promise<string> {
  if (!existsSync(path.join(explorerBundleDirectory(), 'explorer.js'))) return missingBundlePage();
  const settings = {
    graphqlPath,
    assetsPath: EXPLORER_ASSETS_PATH,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: JSON.stringify(await headers(), null, 2),
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Credits BFF — GraphQL explorer</title>
    <link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}explorer.css" />
    <style>body { margin: 0; height: 100vh; } #explorer { height: 100vh; } .explorer-sandbox-link { font-size: 0.85em; }</style>
  </head>
  <body>
    <div id="explorer"></div>
    <script id="explorer-settings" type="application/json">${escapeForScript(JSON.stringify(settings))}</script>
    <script src="${EXPLORER_ASSETS_PATH}explorer.js"></script>
  </body>
</html>`;
}

function missingBundlePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Credits BFF — explorer not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
  <h1>The GraphQL explorer is not built</h1>
  <p>Run <code>npm run build:explorer</code> (it needs the dev dependencies) and reload this page.
  The API itself works: POST GraphQL requests to this URL.</p>
</body></html>`;
}

/** JSON inside a <script> element must not close it. */
export function escapeForScript(json: string): string {
  return json.replace(/</g, '\\u003c');
}
