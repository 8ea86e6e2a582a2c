/**
 * The layering of src/ (docs/architecture.md, "Layers"), checked by `npm run layering`, which `npm test`
 * runs before jest. Layers, top to bottom; a folder imports only from its own layer or below:
 *
 *   main.ts, scripts/, server/                 start-up, the HTTP app, the composition root (folds src/server/modules.ts)
 *   demo/                                      the embedded default, a module that start-up code adds
 *   feature folders, feature-module.ts         accounts, balances, corrections, notifications, partners, payments, promotions,
 *                                              reports, usage (may import each other, without cycles) and their contract
 *   graphql/                                   the floor for resolvers: context type, access rules, auth checker, loaders
 *   payments/providers/, auth/, ledger/        the provider adapters, tokens and the access policy, the ledger core
 *   database/, common/, config/               foundations: import no feature
 *
 * A feature's GraphQL edge is its resolvers (`*.resolver.ts`, which import the context type and the
 * access rules) and its module file (`*.module.ts`, which adds its loaders to graphql/loaders.ts);
 * its services import nothing of graphql/. Type-only imports count like any other.
 */
const COMPOSITION = '^src/(main\\.ts$|scripts/|server/)';
const RESOLVER_API = '^src/graphql/(context|access)\\.ts$';
const GRAPHQL_EDGES = [COMPOSITION, '^src/graphql/', '\\.resolver\\.ts$', '\\.module\\.ts$', '^src/feature-module\\.ts$'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module may import itself through others: cycles hide which side owns what.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'No folder may import itself through other folders: each pair of folders has one direction. src/ itself is left out: its files ' +
        '(main.ts on top, the module contract underneath) are placed by the rules below.',
      severity: 'error',
      scope: 'folder',
      from: { pathNot: '^src$' },
      to: { circular: true, viaOnly: { pathNot: '^src$' } },
    },
    {
      name: 'composition-is-the-top',
      comment: 'Only start-up code imports the HTTP app and the composition root.',
      severity: 'error',
      from: { path: '^src/', pathNot: COMPOSITION },
      to: { path: COMPOSITION },
    },
    {
      name: 'demo-only-from-composition',
      comment: 'The seed data and the provider stand-ins are the embedded default, wired in by start-up code only.',
      severity: 'error',
      from: { path: '^src/', pathNot: [COMPOSITION, '^src/demo/'] },
      to: { path: '^src/demo/' },
    },
    {
      name: 'graphql-is-the-floor',
      comment: 'The GraphQL floor (context, access rules, auth checker, loaders) imports no feature.',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: '^src/', pathNot: ['^src/(graphql|auth|common)/', '^src/config/'] },
    },
    {
      name: 'graphql-only-at-the-edges',
      comment: 'Services know nothing of GraphQL: only resolvers, module files, the module contract and the app import graphql/.',
      severity: 'error',
      from: { path: '^src/', pathNot: GRAPHQL_EDGES },
      to: { path: '^src/graphql/' },
    },
    {
      name: 'resolvers-see-only-the-context-and-access-rules',
      comment: 'A resolver imports src/graphql/context.ts and src/graphql/access.ts, nothing else of the GraphQL layer.',
      severity: 'error',
      from: { path: '\\.resolver\\.ts$' },
      to: { path: '^src/graphql/', pathNot: RESOLVER_API },
    },
    {
      name: 'ledger-is-the-core',
      comment: 'The ledger core knows only the database and common code; features build on it, never the other way.',
      severity: 'error',
      from: { path: '^src/ledger/' },
      to: { path: '^src/', pathNot: ['^src/(ledger|database|common)/', '^src/config/'] },
    },
    {
      name: 'auth-imports-no-feature',
      comment: 'Tokens, principals and the access policy stand below every feature (the policy reads account facts, not entities).',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/', pathNot: ['^src/(auth|common)/', '^src/config/'] },
    },
    {
      name: 'payment-providers-import-no-feature',
      comment: 'The provider adapters speak to the SDKs; the top-up lifecycle uses them, not the other way.',
      severity: 'error',
      from: { path: '^src/payments/providers/' },
      to: { path: '^src/', pathNot: ['^src/(payments/providers|common)/', '^src/config/'] },
    },
    {
      name: 'foundations-import-no-feature',
      comment: 'database/ and common/ serve every folder and import none of them (entities come from the module list).',
      severity: 'error',
      from: { path: '^src/(database|common)/' },
      to: { path: '^src/', pathNot: ['^src/(database|common)/', '^src/config/'] },
    },
    {
      name: 'the-module-contract-names-only-the-core',
      comment: 'src/feature-module.ts types what every feature stands on: the core, the GraphQL floor, no feature.',
      severity: 'error',
      from: { path: '^src/feature-module\\.ts$' },
      to: {
        path: '^src/',
        pathNot: ['^src/(auth|common|database|graphql|ledger)/', '^src/notifications/(bus|outbox\\.service)\\.ts$', '^src/config/'],
      },
    },
    {
      name: 'config-imports-only-common',
      comment: 'Every setting is declared and validated in config/ with common code only.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: ['^src/common/', '^src/config/'] },
    },
  ],
  options: {
    // Type-only imports are dependencies too: a cycle through types is still a cycle for the reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
  },
};
