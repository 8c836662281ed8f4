/**
 * `node --import tsx demo/run.ts [--port 8443] [--http-port 8080]`: starts the
 * demo in the foreground and prints its URLs. Open them in a browser started
 * with `--ignore-certificate-errors --host-resolver-rules="MAP *.example.test 127.0.0.1"`.
 */
import { parseArgs } from 'node:util';
import { startDemo } from './servers.ts';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'http-port': { type: 'string' } },
});
const demo = await startDemo({ port: Number(values.port ?? 8443), httpPort: Number(values['http-port'] ?? 8080) });
const lines = [
  'OAuth Lens demo is running (Ctrl-C to stop).',
  `Browser flags: --ignore-certificate-errors --host-resolver-rules="${demo.hostResolverRules}"`,
  `App index:      ${demo.urls.app}/`,
  `oidc-provider:  ${demo.urls.op}`,
  ...Object.entries(demo.urls.flawed).map(([name, issuer]) => `flawed AS (${name}): ${issuer}`),
  '',
  'Variants:',
  ...Object.entries(demo.urls.variants).map(([name, url]) => `  ${name.padEnd(28)} ${url}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
const stop = () => {
  void demo.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
