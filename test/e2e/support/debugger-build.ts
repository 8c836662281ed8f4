/**
 * The Chromium test build as a user who clicked "Read token responses" and
 * accepted would have it: `debugger` granted (listed under `permissions`
 * instead of `optional_permissions`). A test cannot click Chrome's
 * permission prompt.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type Demo } from '../../../demo/servers.ts';
import { ensureBuilt } from './build.ts';
import { launchWithLens, warmUp, type Lens } from './chromium.ts';

export function debuggerGrantedBuild(): { dir: string; cleanup(): void } {
  const base = ensureBuilt('chrome');
  const manifest = JSON.parse(readFileSync(join(base, 'manifest.json'), 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
  if (!manifest.optional_permissions?.includes('debugger')) throw new Error('the Chrome build does not offer the debugger permission');
  const dir = mkdtempSync(join(tmpdir(), 'oauth-lens-debugger-'));
  cpSync(base, dir, { recursive: true });
  manifest.permissions.push('debugger');
  manifest.optional_permissions = manifest.optional_permissions.filter((p) => p !== 'debugger');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The demo and the permission-granted build in one Chromium, warmed up:
 * what every DevTools-closed, debugger-granted e2e file starts from.
 */
export async function launchDebuggerLens(): Promise<{ demo: Demo; lens: Lens; close(): Promise<void> }> {
  const demo = await startDemo();
  const build = debuggerGrantedBuild();
  const lens = await launchWithLens({ dir: build.dir, hostResolverRules: demo.hostResolverRules });
  await warmUp(lens, `${demo.urls.app}/?state=warm-up`);
  return {
    demo,
    lens,
    close: async () => {
      await lens.close();
      build.cleanup();
      await demo.close();
    },
  };
}
