#!/usr/bin/env node
// House rules that a type checker cannot see (see shared/STYLE.md and README "Contributing").
// Exit 1 with one line per problem; prints nothing but a summary when the tree is clean.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
    return /\.(ts|tsx|mjs|js)$/.test(entry.name) ? [path] : [];
  });
const exists = (dir) => {
  try {
    return statSync(join(root, dir)).isDirectory();
  } catch {
    return false;
  }
};

/** Source lines with comments blanked, so rules do not trip on prose. */
function code(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => line.replace(/(^|[^:'"`\\])\/\/.*$/, '$1'));
}

const rules = [
  {
    name: 'core-is-pure',
    why: 'src/core runs in the worker, the panel, the CLI and Node: no browser, DOM or node APIs',
    applies: (f) => f.startsWith(`src${sep}core${sep}`),
    bad: /from ['"](node:|webextension-polyfill|preact)|\bchrome\.|\bbrowser\.(runtime|webRequest|storage|tabs|devtools)|(?<![.\w])(document|window|process)\./,
  },
  {
    name: 'browser-glue-in-platform',
    why: 'only src/platform (and the panel/devtools adapters it exports) may touch chrome.* / webextension-polyfill',
    applies: (f) => f.startsWith(`src${sep}`) && !f.startsWith(`src${sep}platform${sep}`) && !f.startsWith(`src${sep}cli${sep}`),
    bad: /from ['"]webextension-polyfill['"]|\bchrome\.(runtime|webRequest|storage|tabs|devtools|action|webNavigation|declarativeNetRequest)\b/,
  },
  {
    name: 'text-only-rendering',
    why: 'captured traffic is hostile input: render it as text, never as HTML or code',
    applies: (f) => f.startsWith(`src${sep}`),
    bad: /dangerouslySetInnerHTML|\.(inner|outer)HTML\s*=|insertAdjacentHTML|(?<!inspectedWindow\.)\beval\(|new Function\(|document\.write\(/,
  },
  {
    name: 'no-secrets-on-disk',
    why: 'storage.local persists to disk: settings only, through src/platform/settings.ts',
    applies: (f) => f.startsWith(`src${sep}`) && !f.endsWith(`platform${sep}settings.ts`),
    bad: /storage\.local\b/,
  },
  {
    name: 'no-console',
    why: 'no console noise and never a logged token: use the debug() helper (the CLI may print its report)',
    applies: (f) => f.startsWith(`src${sep}`) && !f.startsWith(`src${sep}cli${sep}`) && !/debug\.ts$/.test(f),
    bad: /\bconsole\.(log|info|debug|warn|error|trace)\(/,
  },
  {
    name: 'honest-tests',
    why: 'a skipped, focused or always-true test hides the truth',
    applies: (f) => f.startsWith(`test${sep}`),
    bad: /\b(it|test|describe)\.(only|skip)\(|expect\(true\)|expect\(1\)\.toBe\(1\)/,
  },
];

/**
 * Which parts of src may import which (one rule, one place): the engine is
 * self-contained; the views and the CLI never reach into the worker; the
 * browser glue never reaches into a view. Shared message types live in
 * src/core/protocol, which both sides import.
 */
const FORBIDDEN_IMPORTS = {
  core: ['background', 'cli', 'devtools', 'panel', 'platform', 'popup', 'ui'],
  panel: ['background', 'cli', 'popup', 'devtools'],
  popup: ['background', 'cli', 'panel', 'devtools'],
  devtools: ['background', 'cli', 'panel', 'popup'],
  cli: ['background', 'devtools', 'panel', 'platform', 'popup', 'ui'],
  platform: ['background', 'cli', 'devtools', 'panel', 'popup', 'ui'],
  background: ['cli', 'devtools', 'panel', 'popup', 'ui'],
  // UI both the popup and the panel show (src/ui): the extension API only through src/platform.
  ui: ['background', 'cli', 'devtools', 'panel', 'popup'],
};
const IMPORT_SPEC = /\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/g;

/** The top-level folder of src a path is in (`core`, `panel`…), or undefined outside src. */
function areaOf(path) {
  const parts = path.split(sep);
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

function importDirectionProblems(rel, lines) {
  const from = areaOf(rel);
  const forbidden = from ? FORBIDDEN_IMPORTS[from] : undefined;
  if (!forbidden) return [];
  const out = [];
  lines.forEach((line, i) => {
    for (const match of line.matchAll(IMPORT_SPEC)) {
      const spec = match[1] ?? match[2] ?? match[3];
      const target = relative(root, join(root, rel, '..', spec));
      const to = target.startsWith('src' + sep) ? areaOf(target) : 'outside';
      if (from === 'core' && to !== 'core') out.push(`${rel}:${i + 1}: import-direction: src/core imports nothing outside src/core (${spec})`);
      else if (forbidden.includes(to)) out.push(`${rel}:${i + 1}: import-direction: src/${from} must not import src/${to} (${spec}); shared types belong in src/core (e.g. src/core/protocol)`);
    }
  });
  return out;
}

const problems = [];
let count = 0;
for (const dir of ['src', 'test'].filter(exists)) {
  for (const file of files(dir)) {
    count++;
    const rel = relative(root, join(root, file));
    const lines = code(readFileSync(join(root, file), 'utf8'));
    problems.push(...importDirectionProblems(rel, lines));
    for (const rule of rules) {
      if (!rule.applies(rel)) continue;
      lines.forEach((line, i) => {
        if (rule.bad.test(line)) problems.push(`${rel}:${i + 1}: ${rule.name}: ${rule.why}`);
      });
    }
  }
}
for (const p of problems) console.log(p);
console.log(`lint: ${count} files, ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
process.exit(problems.length ? 1 : 0);
