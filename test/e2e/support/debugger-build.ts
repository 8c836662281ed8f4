/**
 * The Chromium test build as a user who clicked "Read token responses" and
 * accepted would have it: `debugger` granted (listed under `permissions`
 * instead of `optional_permissions`). A test cannot click Chrome's
 * permission prompt.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './build.ts';

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
