// `npm run build:lib`: the library's JavaScript (vite.lib.config.ts) and its
// declarations (tsc -p tsconfig.lib.json, into dist/types). The sources import
// with `.ts` extensions; the shipped .d.ts files import the `.js` names that
// resolve to them, as any TypeScript consumer expects.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
execFileSync(bin('vite'), ['build', '--config', 'vite.lib.config.ts'], { cwd: root, stdio: 'inherit' });
rmSync(join(root, 'dist/types'), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.lib.json'], { cwd: root, stdio: 'inherit' });

const SPECIFIER = /(from\s+'|import\(')(\.{1,2}\/[^']*?)\.ts'/g;
for (const entry of readdirSync(join(root, 'dist/types'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const file = join(entry.parentPath, entry.name);
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, "$1$2.js'");
  if (fixed !== text) writeFileSync(file, fixed);
}
