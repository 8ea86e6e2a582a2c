// ESLint flat config: typescript-eslint's recommended rules (syntax only: no type information, so
// `npm run lint` stays fast on a small machine). Formatting is Prettier's job (.prettierrc.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'data/', 'explorer/dist/', 'console/dist/', 'console/src/gql/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // An unused parameter named with a leading underscore is deliberate (express error handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An Apollo plugin's hooks are plain functions that close over the metrics object by name.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['metrics'] }],
    },
  },
  {
    // Tests read loosely typed GraphQL results and driver rows; `any` there is a choice, not an accident.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS configuration and support files (jest.config.js, test/support/env.*.js).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', URL: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node scripts as ES modules (scripts/build.mjs).
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The console runs in the browser; its build and codegen scripts under Node.
    files: ['console/**/*.ts', 'console/**/*.tsx', 'console/**/*.mjs'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        sessionStorage: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        Event: 'readonly',
        setTimeout: 'readonly',
        console: 'readonly',
        process: 'readonly',
      },
    },
  },
  {
    files: ['explorer/**/*.jsx', 'explorer/**/*.mjs'],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: {
        window: 'readonly',
        document: 'readonly',
        globalThis: 'readonly',
        Worker: 'readonly',
        URL: 'readonly',
        console: 'readonly',
        process: 'readonly',
      },
    },
  },
);
