import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'bench/results/**', 'pwa/dev-dist/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/first-attribute-linebreak': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    // The shared domain knows no screen and no socket: it may never import the app or the server.
    files: ['packages/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/pwa/**', '@lagesbild/pwa', '@lagesbild/pwa/**'], message: 'packages/ must not import the PWA' },
        { group: ['**/sync-server/**', '@lagesbild/sync-server', '@lagesbild/sync-server/**'], message: 'packages/ must not import the server' },
      ] }],
    },
  },
  {
    // The capture screens take values from zod-free modules of the domain (the schema library alone would
    // break the capture route's budget); types may come from anywhere.
    files: ['pwa/src/App.vue', 'pwa/src/main.ts', 'pwa/src/pages/{Home,Report,MyReports,Login,ChangePassword}Page.vue',
      'pwa/src/components/{capture,layout,pwa}/**', 'pwa/src/{db,sync,stores,modules}/**', 'pwa/src/composables/{useReference,useGeolocation,useClientConfig}.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [
        { name: '@lagesbild/domain', allowTypeImports: true, message: 'import values from a zod-free module such as @lagesbild/domain/geo' },
      ], patterns: [
        { group: ['@lagesbild/domain/schemas/*'], allowTypeImports: true, message: 'schemas load zod: import types only' },
      ] }],
    },
  },
  {
    // The capture route must stay light: OpenLayers and ECharts live only in map/ and charts/, loaded lazily.
    files: ['pwa/src/**'],
    ignores: ['pwa/src/map/**', 'pwa/src/charts/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['ol', 'ol/*', 'echarts', 'echarts/*'], message: 'import OpenLayers and ECharts only in pwa/src/map and pwa/src/charts' },
      ] }],
    },
  },
)
