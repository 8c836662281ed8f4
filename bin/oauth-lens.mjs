#!/usr/bin/env node
// The built CLI (vite build --config vite.cli.config.ts); its exit status is set by the CLI itself.
import '../dist/cli/oauth-lens.js';
