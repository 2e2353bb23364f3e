import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

const electronFree = {
  patterns: [
    {
      group: ['electron', 'electron/*', 'electron-store', '**/app/*', '**/renderer/*'],
      message:
        'The feed engine, notification logic and CLI run in plain Node: no Electron imports here.',
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Feed data is untrusted: render text, never HTML.' },
        { property: 'outerHTML', message: 'Feed data is untrusted: render text, never HTML.' },
        {
          property: 'insertAdjacentHTML',
          message: 'Feed data is untrusted: render text, never HTML.',
        },
      ],
    },
  },
  {
    files: [
      'src/main/feeds/**',
      'src/main/notify/**',
      'src/main/cli.ts',
      'src/main/cli/**',
      'src/main/demo/**',
      'src/shared/**',
    ],
    rules: { 'no-restricted-imports': ['error', electronFree] },
  },
  prettier,
)
