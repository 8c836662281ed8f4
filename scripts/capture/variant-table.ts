/**
 * Rewrites the variant table in the header comment of demo/servers.ts from
 * demo/variant-rows.ts: `node --import tsx scripts/capture/variant-table.ts`
 * (capture.ts runs it after a full capture).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VARIANTS, activeExpect } from '../../demo/variants.ts';

const START = ' * VARIANTS (';
const END = ' */';

function wrap(text: string, prefix: string, width = 96): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const word of text.split(' ')) {
    if (line.length + word.length > width && line !== prefix) {
      lines.push(line.trimEnd());
      line = prefix;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

export function variantTable(): string[] {
  const lines: string[] = [];
  for (const v of VARIANTS) {
    const origin = v.insecure ? 'http://insecure.example.test:HTTP_PORT' : 'https://app.example.test:PORT';
    const as = v.as === 'op' ? 'oidc-provider' : `flawed AS (${v.as})`;
    const active = activeExpect(v);
    lines.push(` * ${v.name}`, ` *   ${origin}/?variant=${v.name}   [${as}, client ${v.clientId}]`);
    lines.push(...wrap(v.description, ' *   '));
    lines.push(` *   passive: ${v.expect.join(', ') || '(none)'}${active.length ? ` | re-run: ${active.join(', ')}` : ''}`);
  }
  return lines;
}

export async function writeVariantTable(root: string): Promise<void> {
  const path = resolve(root, 'demo/servers.ts');
  const source = await readFile(path, 'utf8');
  const start = source.indexOf(START);
  const headerEnd = source.indexOf('\n *\n', start);
  const end = source.indexOf(`\n${END}`, start);
  if (start < 0 || headerEnd < 0 || end < headerEnd) throw new Error('variant table markers not found in demo/servers.ts');
  const next = `${source.slice(0, headerEnd)}\n *\n${variantTable().join('\n')}${source.slice(end)}`;
  if (next !== source) await writeFile(path, next);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'variant-table.ts')) {
  await writeVariantTable(resolve(import.meta.dirname, '../..'));
}
