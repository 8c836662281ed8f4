/**
 * Starts the whole demo on loopback: one HTTPS port that routes by Host header,
 * plus one plain-HTTP port for the transport.insecure variant.
 *
 * VARIANT TABLE (generated into this comment; see variant-rows.ts)
 */
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeCertificate } from './tls.ts';
import { createProvider, type NodeHandler } from './provider.ts';
import { createFlawedAs } from './flawed-as.ts';
import { tenants, type Origins } from './flawed-clients.ts';
import { createApp } from './app.ts';
import { VARIANTS } from './variants.ts';

export { VARIANTS, variantByName, type Variant } from './variants.ts';

export interface DemoUrls {
  /** `https://app.example.test:PORT` (the index lists every variant). */
  app: string;
  /** The oidc-provider issuer, `https://op.example.test:PORT`. */
  op: string;
  api: string;
  tracker: string;
  /** `http://insecure.example.test:HTTP_PORT` */
  insecure: string;
  /** Issuers of the flawed provider shapes. */
  flawed: Record<string, string>;
  /** Start page of every variant, by name. */
  variants: Record<string, string>;
}

export interface Demo {
  urls: DemoUrls;
  httpsPort: number;
  httpPort: number;
  /** For Chromium: `--host-resolver-rules=${hostResolverRules}`. */
  hostResolverRules: string;
  close(): Promise<void>;
}

// Everything else fails to resolve, so nothing a page loads can reach the internet.
export const HOST_RESOLVER_RULES = 'MAP *.example.test 127.0.0.1, MAP * ~NOTFOUND';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startDemo(opts: { port?: number; httpPort?: number } = {}): Promise<Demo> {
  const tls = await makeCertificate();
  let route: (host: string) => NodeHandler | undefined = () => undefined;
  const dispatch = (scheme: string): NodeHandler => (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const handler = scheme === 'https' ? route(host) : host === 'insecure.example.test' ? route('insecure') : undefined;
    if (!handler) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no demo host ${host}`);
      return;
    }
    handler(req, res);
  };
  const https = createHttpsServer({ key: tls.key, cert: tls.cert }, dispatch('https'));
  const http = createHttpServer(dispatch('http'));
  const httpsPort = await listen(https, opts.port ?? 0);
  const httpPort = await listen(http, opts.httpPort ?? 0);

  const origins: Origins = {
    https: (name) => `https://${name}.example.test:${httpsPort}`,
    http: (name) => `http://${name}.example.test:${httpPort}`,
  };
  const op = origins.https('op');
  const opHandler = await createProvider({ issuer: op, app: origins.https('app') });
  const flawed = await createFlawedAs(origins);
  const asConfig: Record<string, { discovery?: string; authorize?: string; token?: string; userinfo?: string }> = {
    op: { discovery: `${op}/.well-known/openid-configuration` },
  };
  for (const t of tenants(origins)) {
    asConfig[t.name] = t.discovery ? { discovery: t.discovery } : { authorize: t.authorize, token: t.token };
  }
  const { app, api, tracker } = createApp({ ...origins, httpsPort, as: asConfig });
  const table = new Map<string, NodeHandler>([
    ['op.example.test', opHandler],
    ['app.example.test', app],
    ['insecure', app],
    ['api.example.test', api],
    ['tracker.example.test', tracker],
    ...flawed.hosts.map((h): [string, NodeHandler] => [h, flawed.handler]),
  ]);
  route = (host) => table.get(host);

  const variants: Record<string, string> = {};
  for (const v of VARIANTS) variants[v.name] = `${v.insecure ? origins.http('insecure') : origins.https('app')}/?variant=${v.name}`;
  return {
    urls: {
      app: origins.https('app'),
      op,
      api: origins.https('api'),
      tracker: origins.https('tracker'),
      insecure: origins.http('insecure'),
      flawed: Object.fromEntries(tenants(origins).map((t) => [t.name, t.issuer])),
      variants,
    },
    httpsPort,
    httpPort,
    hostResolverRules: HOST_RESOLVER_RULES,
    close: async () => {
      await Promise.all([close(https as unknown as Server), close(http)]);
    },
  };
}
