// Lint: TypeScript rules, plus the layer rule from docs/ARCHITECTURE.md:
// electron/core and shared must run under plain Node, so they never import 'electron'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noElectron = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'electron', message: 'electron/core and shared run under plain Node: never import electron here (see docs/ARCHITECTURE.md).' }],
    patterns: [{ group: ['electron/*', '**/electron/main/**', '**/electron/preload/**'], message: 'core and shared never reach up into the Electron layers.' }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', AbortController: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['electron/core/**/*.ts', 'shared/**/*.ts'], rules: noElectron },
);
