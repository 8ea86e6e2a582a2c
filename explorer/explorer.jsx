// The offline GraphQL explorer: GraphiQL 5 (React) with the graphql-ws client for subscriptions.
// Bundled by explorer/build.mjs into explorer/dist and served by the server itself, so the page
// needs no CDN. The server writes its settings into <script id="explorer-settings">.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const settings = JSON.parse(document.getElementById('explorer-settings').textContent);
const assets = new URL(settings.assetsPath, window.location.href);

// Monaco runs its language services in web workers; each one is a bundle of its own next to this file.
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(file, assets));
  },
};

const graphqlUrl = new URL(settings.graphqlPath, window.location.href);
const websocketUrl = new URL(graphqlUrl);
websocketUrl.protocol = graphqlUrl.protocol === 'https:' ? 'wss:' : 'ws:';

// Queries and mutations go over HTTP; subscriptions open a graphql-ws socket whose connection_init
// carries the headers from the header editor (the server reads `Authorization` there).
const fetcher = createGraphiQLFetcher({
  url: graphqlUrl.toString(),
  subscriptionUrl: websocketUrl.toString(),
  enableIncrementalDelivery: false,
});

// Apollo Sandbox loads its UI from the internet but talks to this server from the browser, so it
// works against localhost too when the machine is online.
const sandboxUrl = `https://studio.apollographql.com/sandbox/explorer?endpoint=${encodeURIComponent(graphqlUrl.toString())}`;

function SandboxLink() {
  return createElement('a', { href: sandboxUrl, target: '_blank', rel: 'noreferrer', className: 'explorer-sandbox-link' }, 'Apollo Sandbox (needs internet)');
}

function Explorer() {
  return createElement(
    GraphiQL,
    {
      fetcher,
      defaultQuery: settings.defaultQuery,
      initialQuery: settings.defaultQuery,
      defaultHeaders: settings.defaultHeaders,
      initialHeaders: settings.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    },
    createElement(GraphiQL.Logo, null, 'Credits BFF'),
    createElement(GraphiQL.Footer, null, createElement(SandboxLink)),
  );
}

createRoot(document.getElementById('explorer')).render(createElement(Explorer));
