/**
 * JSON from the capture, with its nesting bounded. `JSON.parse` copes with
 * 100,000 nested arrays, but every recursive walk after it (redaction,
 * `JSON.stringify`, `structuredClone` on the way to the panel) overflows the
 * stack. Values nested deeper than MAX_JSON_DEPTH are replaced by a marker,
 * and `analyze` lists the event in the report's warnings.
 */

export const MAX_JSON_DEPTH = 64;
export const TOO_DEEP = `[nested deeper than ${MAX_JSON_DEPTH} levels: not kept]`;

/** The deepest nesting of arrays and objects in JSON text (strings skipped); one pass, no recursion. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Replaces, in place and without recursion, every array or object below `maxDepth` by TOO_DEEP. */
export function pruneDepth(root: unknown, maxDepth = MAX_JSON_DEPTH): unknown {
  if (root === null || typeof root !== 'object') return root;
  const stack: Array<{ node: Record<string, unknown> | unknown[]; depth: number }> = [{ node: root as Record<string, unknown>, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const keys = Array.isArray(node) ? node.keys() : Object.keys(node);
    for (const key of keys) {
      const child = (node as Record<string | number, unknown>)[key];
      if (child === null || typeof child !== 'object') continue;
      if (depth >= maxDepth) (node as Record<string | number, unknown>)[key] = TOO_DEEP;
      else stack.push({ node: child as Record<string, unknown>, depth: depth + 1 });
    }
  }
  return root;
}

/** `JSON.parse` whose result is safe to walk recursively: nesting past MAX_JSON_DEPTH is cut. */
export function parseBoundedJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return jsonNestingDepth(text) > MAX_JSON_DEPTH ? pruneDepth(value) : value;
}
