/**
 * The CLI build: `vite build --config vite.cli.config.ts` bundles src/cli/run.ts
 * (and the engine, and jose) into one ES module for node, dist/cli/oauth-lens.js,
 * which bin/oauth-lens.mjs imports. Bundling everything keeps `npx oauth-lens`
 * independent of how the installer lays out node_modules.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // The config file's own directory, so the build works from any working directory.
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  define: { __OAUTH_LENS_VERSION__: JSON.stringify(version) },
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/cli/run.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rollupOptions: {
      external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
      output: { format: 'es', entryFileNames: 'oauth-lens.js' },
    },
  },
});
