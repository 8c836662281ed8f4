/**
 * The node entry of the CLI (built to dist/cli/oauth-lens.js, started by
 * bin/oauth-lens.mjs). Anything unexpected still ends as one line and status 2.
 */
import { readFileSync } from 'node:fs';
import { main } from './main.ts';

/** Set by vite.cli.config.ts in the built CLI; absent when run from source. */
declare const __OAUTH_LENS_VERSION__: string | undefined;

function packageVersion(): string {
  if (typeof __OAUTH_LENS_VERSION__ === 'string') return __OAUTH_LENS_VERSION__;
  try {
    // From source: src/cli/run.ts sits two levels below package.json.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`oauth-lens: internal error: ${message.split('\n')[0]}\n`);
  process.exitCode = 2;
}

// A reader that stops early (`oauth-lens audit x.har | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fail(error);
});
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  version: packageVersion(),
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
}, fail);
