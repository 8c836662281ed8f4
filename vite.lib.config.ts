/**
 * The library build: `npm run build:lib` bundles the engine (and jose) into
 * ES modules for node and browsers, dist/lib/index.js (`oauth-lens`) and
 * dist/lib/playwright.js (`oauth-lens/playwright`), with their shared code in
 * one chunk. Playwright stays external: it is the user's (a peer dependency).
 * Types: tsc -p tsconfig.lib.json writes dist/types (see scripts/build-lib.mjs).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  define: { __OAUTH_LENS_VERSION__: JSON.stringify(version) },
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: true,
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rollupOptions: {
      input: { index: 'src/lib/index.ts', playwright: 'src/lib/playwright/index.ts' },
      external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'playwright-core', '@playwright/test'],
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
    },
  },
});
