/**
 * The layering of src/ (docs/architecture.md, "Layers"), checked by `npm run layering`, which `npm test`
 * runs before jest. Layers, top to bottom; a folder imports only from its own layer or below:
 *
 *   main.ts, scripts/, server/, telemetry/   start-up, the HTTP app, the composition root
 *   demo/                                     the embedded default's seed data and provider stand-ins
 *   graphql/                                  schema build, context, loaders, auth checker
 *   feature folders                           accounts, top-ups, reports, ... (may import each other, without cycles)
 *   payment-providers/, auth/, ledger/        the provider adapters, the access policy, the ledger core
 *   database/, common/, config.ts             foundations: import no feature
 *
 * One way up is allowed: a feature's resolvers (`*.resolver.ts`) are its GraphQL edge and import
 * the context type and the access rules (src/graphql/context.ts, src/graphql/access.ts), nothing
 * else of src/graphql/. Type-only imports count like any other.
 */
const COMPOSITION = '^src/(main\\.ts$|scripts/|server/|telemetry/)';
const RESOLVER_API = '^src/graphql/(context|access)\\.ts$';

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
      name: 'graphql-from-composition-and-resolvers',
      comment: 'The GraphQL layer is used by the app that serves it and, for the context type and @Authorized rules, by resolvers.',
      severity: 'error',
      from: { path: '^src/', pathNot: [COMPOSITION, '^src/graphql/', '\\.resolver\\.ts$'] },
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
      to: { path: '^src/', pathNot: ['^src/(ledger|database|common)/', '^src/config\\.ts$', RESOLVER_API] },
    },
    {
      name: 'auth-imports-no-feature',
      comment: 'Tokens, principals and the access policy stand below every feature (the policy reads account facts, not entities).',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/', pathNot: ['^src/(auth|common)/', '^src/config\\.ts$'] },
    },
    {
      name: 'payment-providers-import-no-feature',
      comment: 'The provider adapters speak to the SDKs; the top-up lifecycle uses them, not the other way.',
      severity: 'error',
      from: { path: '^src/payment-providers/' },
      to: { path: '^src/', pathNot: ['^src/(payment-providers|common)/', '^src/config\\.ts$'] },
    },
    {
      name: 'foundations-import-no-feature',
      comment: 'database/ and common/ serve every folder and import none of them (entities come from the composition root).',
      severity: 'error',
      from: { path: '^src/(database|common)/' },
      to: { path: '^src/', pathNot: ['^src/(database|common)/', '^src/config\\.ts$'] },
    },
    {
      name: 'config-imports-only-common',
      comment: 'Every setting is validated in config.ts with common code only.',
      severity: 'error',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/common/', '^src/config\\.ts$'] },
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
