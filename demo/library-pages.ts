/**
 * Serves the library variants (library-variants.ts) on the app host: their
 * start and callback pages, and the libraries themselves from node_modules
 * under /lib/ (ESM builds, an import map for oidc-client-ts's one dependency).
 * Nothing is fetched from the internet.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { escapeHtml, sendHtml } from './http-util.ts';
import { LIBRARY_SCRIPTS } from './library-scripts.ts';
import type { Variant } from './variants.ts';

const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** URL path under /lib/ -> file in node_modules. */
const LIBRARY_FILES: Readonly<Record<string, () => string>> = {
  '/lib/oidc-client-ts.js': () => packageFile('oidc-client-ts', 'dist/esm/oidc-client-ts.js'),
  // jwt-decode exports no package.json: its CommonJS entry sits in build/cjs beside build/esm.
  '/lib/jwt-decode.js': () => join(dirname(require.resolve('jwt-decode')), '../esm/index.js'),
  '/lib/auth0-spa-js.js': () => packageFile('@auth0/auth0-spa-js', 'dist/auth0-spa-js.production.esm.js'),
  '/lib/oauth4webapi.js': () => packageFile('oauth4webapi', 'build/index.js'),
};

const IMPORT_MAP = JSON.stringify({ imports: { 'oidc-client-ts': '/lib/oidc-client-ts.js', 'jwt-decode': '/lib/jwt-decode.js' } });

const cache = new Map<string, Buffer>();

export interface LibraryPageConfig {
  origin: string;
  /** oidc-provider's issuer. */
  op: string;
  /** The second oidc-provider, with Auth0's routes. */
  auth0: string;
}

/**
 * Answers the request if it belongs to a library variant (or is a /lib/ file);
 * returns false to let the app handle it.
 */
export function serveLibraryRoute(
  pathname: string,
  variant: Variant | undefined,
  res: ServerResponse,
  headers: Record<string, string>,
  config: LibraryPageConfig,
): boolean {
  const file = LIBRARY_FILES[pathname];
  if (file) {
    let body = cache.get(pathname);
    if (!body) {
      body = readFileSync(file());
      cache.set(pathname, body);
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
    return true;
  }
  const library = variant?.library;
  if (!variant || !library) return false;
  const page = pathname === '/' ? 'index' : pathname === '/callback' ? 'callback' : pathname === '/silent-callback' ? 'silent-callback' : undefined;
  if (!page) return false;
  const json = JSON.stringify({ ...config, page, variant: variant.name, clientId: variant.clientId }).replace(/</g, '\\u003c');
  const body = page === 'index' ? `<p>${escapeHtml(variant.description)}</p><button id="login">Log in</button>` : '';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Demo: ${escapeHtml(variant.name)}</title><link rel="icon" href="data:,">
<script type="importmap">${IMPORT_MAP}</script></head>
<body><h1>Demo: ${escapeHtml(variant.name)} (${escapeHtml(library)})</h1>${body}
<script type="application/json" id="lens-config">${json}</script>
<script type="module">${LIBRARY_SCRIPTS[library]}</script></body></html>`;
  sendHtml(res, 200, html, { ...headers, 'Cache-Control': 'no-store' });
  return true;
}
