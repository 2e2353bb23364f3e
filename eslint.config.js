import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

// Rooms by where code may run. Only src/main/app (the Electron shell) and src/preload may import
// Electron; src/renderer runs in the page and src/shared is pure code all of them use.
const electron = {
  group: ['electron', 'electron/*', 'electron-store'],
  message: 'Plain Node here: only src/main/app (the Electron shell) and the preload use Electron.',
}
const shell = {
  group: ['**/app/*', '**/main/app/*'],
  message: 'The Electron shell is assembled on top of this code, never imported by it.',
}
const page = {
  group: ['**/renderer/*', '**/renderer/**'],
  message: 'The renderer is the page: main-process code never imports it.',
}
const mainCode = {
  group: ['**/main/*', '**/main/**'],
  message: 'The renderer and shared code never import main-process code: move it to src/shared.',
}
const rooms = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
})

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
      ...rooms(electron, mainCode),
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
    files: ['src/shared/**'],
    rules: rooms(electron, mainCode, page),
  },
  {
    files: [
      'src/main/feeds/**',
      'src/main/notify/**',
      'src/main/core/**',
      'src/main/store/**',
      'src/main/cli.ts',
      'src/main/cli/**',
      'src/main/demo/**',
      'src/main/web/**',
    ],
    rules: rooms(electron, shell, page),
  },
  prettier,
)
