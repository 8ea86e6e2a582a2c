import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { Router } from 'express';
import { signToken } from '../auth/jwt';
import type { Config } from '../config';
import { DEMO_PRINCIPALS } from '../demo/demo-accounts';

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

/** explorer/dist under the project root, whether this file runs from src/ (ts-node, jest) or dist/src/. */
export function explorerBundleDirectory(): string {
  let directory = __dirname;
  while (!existsSync(path.join(directory, 'package.json')) && path.dirname(directory) !== directory) {
    directory = path.dirname(directory);
  }
  return path.join(directory, 'explorer', 'dist');
}

/** Serves the bundle's files (immutable per build: the page asks for them by fixed names, so no long caching). */
export function explorerAssets(): Router {
  const router = express.Router();
  router.use(EXPLORER_ASSETS_PATH, express.static(explorerBundleDirectory(), { index: false, maxAge: 0 }));
  return router;
}

/** Apollo's landing-page hook: the page is rendered per request, so the demo token is always fresh. */
export function explorerLandingPage(config: Config, graphqlPath = '/graphql'): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: async () => renderExplorerPage(config, graphqlPath) };
        },
      };
    },
  };
}

async function renderExplorerPage(config: Config, graphqlPath: string): Promise<string> {
  if (!existsSync(path.join(explorerBundleDirectory(), 'explorer.js'))) return missingBundlePage();
  const settings = {
    graphqlPath,
    assetsPath: EXPLORER_ASSETS_PATH,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: JSON.stringify(await demoHeaders(config), null, 2),
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

/** The demo direct customer's token when the demo data is seeded with the HS256 secret; nothing otherwise. */
async function demoHeaders(config: Config): Promise<Record<string, string>> {
  const secret = config.auth.hmacSecret;
  if (!config.seedDemoData || !secret) return {};
  return { Authorization: `Bearer ${await signToken(secret, DEMO_PRINCIPALS[0])}` };
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
function escapeForScript(json: string): string {
  return json.replace(/</g, '\\u003c');
}
