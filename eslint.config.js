// Type-aware lint: a missing await on a mutation is the worst bug a runbook can have.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'test/helpers/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // On Node 20 these signals may never fire once the GC has run: a bound that depends on the GC.
      'no-restricted-properties': [
        'error',
        {
          object: 'AbortSignal',
          property: 'timeout',
          message:
            'Bound it with startDeadline() from src/engine/deadline.ts: a timeout signal may never fire on Node 20.',
        },
        {
          object: 'AbortSignal',
          property: 'any',
          message:
            'Follow a parent with startDeadline(ms, { parent }) from src/engine/deadline.ts: AbortSignal.any may never fire on Node 20.',
        },
      ],
    },
  },
  // The borders: runbooks reach a cluster only through the engine's Readers and the authoring
  // surface; the engine and the shared manifest readers know no provider; the simulator plays the
  // servers and never borrows the client's code.
  {
    files: ['runbooks/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Type imports stay allowed: the Readers return client-node's object types.
          paths: ['@kubernetes/client-node', '@linode/api-v4', 'execa', 'pg'].map((name) => ({
            name,
            allowTypeImports: true,
            message:
              'A runbook reaches the cluster through the Readers in src/engine/ports.ts, never a client.',
          })),
          patterns: [
            {
              group: [
                '**/src/providers/**',
                '**/src/sim/**',
                '**/src/cli/**',
                '**/src/config/**',
                '**/src/training/**',
              ],
              message:
                'A runbook imports only src/engine (its authoring surface) and src/manifests: move what it needs there.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/manifests/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/providers/**', '**/sim/**', '**/cli/**', '**/config/**', '**/training/**'],
              message: 'The engine and the manifest readers know no provider, simulator or command.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/providers/**', '**/cli/**', '**/config/**', '**/training/**'],
              message:
                'The simulator plays the servers: it never imports the tool that talks to them (shared readers live in src/manifests).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setInterval: 'readonly' } },
  },
  prettier,
);
