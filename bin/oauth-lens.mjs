#!/usr/bin/env node
// Starts the built CLI (`npm run build:cli` writes dist/cli/oauth-lens.js); the CLI sets its own exit status.
try {
  await import('../dist/cli/oauth-lens.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('oauth-lens.js')) {
    process.stderr.write('oauth-lens: the CLI is not built: run `npm run build:cli` in the oauth-lens checkout\n');
  } else {
    process.stderr.write(`oauth-lens: ${String(error?.message ?? error).split('\n')[0]}\n`);
  }
  process.exitCode = 2;
}
