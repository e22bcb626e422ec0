import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import globals from 'globals';

// Module boundaries: the import direction of the README's package diagram, and heavy or cloud dependencies kept where they belong.
export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', 'bench-results/**', 'coverage/**', '.mailroute/**', '.scratch*/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The AWS package's shared names: a module that imports nothing (the CLI's training job reads TRAINING_JOB).
          allow: ['@mailroute/aws/contracts'],
          depConstraints: [
            { sourceTag: 'scope:preprocess', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:model', onlyDependOnLibsWithTags: ['scope:preprocess'] },
            { sourceTag: 'scope:evaluation', onlyDependOnLibsWithTags: ['scope:model', 'scope:preprocess'] },
            {
              sourceTag: 'scope:training',
              onlyDependOnLibsWithTags: ['scope:evaluation', 'scope:model', 'scope:preprocess'],
            },
            {
              sourceTag: 'scope:serving',
              onlyDependOnLibsWithTags: ['scope:evaluation', 'scope:model', 'scope:preprocess'],
            },
            // training for its config and feedback file (the retraining pipeline's export step), not for training itself.
            { sourceTag: 'scope:aws', onlyDependOnLibsWithTags: ['scope:model', 'scope:serving', 'scope:preprocess', 'scope:evaluation', 'scope:training'] },
            // infra deploys build outputs; at run time it imports no other package (bundle entry points excepted).
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:aws'] },
            // The CLI reaches AWS through the adapters only (feedback export --dynamodb-table), never the SDK itself (below).
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:preprocess', 'scope:model', 'scope:evaluation', 'scope:training', 'scope:serving', 'scope:aws'] },
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['*'] },
            // onnxruntime only in model, Pulumi only in infra, the AWS SDK only in infra's adapters.
                        { sourceTag: 'scope:preprocess', bannedExternalImports: ['onnxruntime-node', '@pulumi/*', '@aws-sdk/*', 'hono', 'better-sqlite3'] },
            { sourceTag: 'scope:evaluation', bannedExternalImports: ['onnxruntime-node', '@pulumi/*', '@aws-sdk/*', 'hono'] },
            { sourceTag: 'scope:training', bannedExternalImports: ['onnxruntime-node', '@pulumi/*', '@aws-sdk/*', 'hono'] },
            { sourceTag: 'scope:serving', bannedExternalImports: ['onnxruntime-node', '@pulumi/*', '@aws-sdk/*'] },
            { sourceTag: 'scope:model', bannedExternalImports: ['@pulumi/*', '@aws-sdk/*', 'hono'] },
            { sourceTag: 'scope:aws', bannedExternalImports: ['@pulumi/*', 'onnxruntime-node'] },
            { sourceTag: 'scope:infra', bannedExternalImports: ['onnxruntime-node', '@aws-sdk/*'] },
            { sourceTag: 'scope:cli', bannedExternalImports: ['onnxruntime-node', '@pulumi/*', '@aws-sdk/*'] },
          ],
        },
      ],
    },
  },
  {
    // Tests, benchmarks and CLI entry points may print.
    files: ['**/*.test.ts', 'bench/**', 'packages/cli/bin/**'],
    rules: { 'no-console': 'off' },
  },
);
