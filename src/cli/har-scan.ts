/**
 * Reads `log.entries` of a HAR file one entry at a time, so a capture of any
 * size costs its bytes plus one parsed entry, not a parsed tree of the whole
 * file (a 100,000-entry HAR is ~300 MB of text and several GB as one tree).
 *
 * A small scanner walks the bytes: inside strings it jumps from quote to
 * quote with Buffer#indexOf (native), outside it tracks depth and the keys
 * `log` and `entries`. Each entry's bytes go to JSON.parse on their own.
 * Everything outside the entries is checked only for balance, not grammar.
 */
import { HarError } from '../core/ingest/from-har.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Calls `onEntry` with each parsed entry of `log.entries`, in order. Throws HarError for a file that is not a HAR. */
export function scanHarEntries(buf: Buffer, onEntry: (entry: unknown, index: number) => void): { entries: number } {
  let i = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3; // UTF-8 byte order mark
  while (i < buf.length && isSpace(buf[i]!)) i++;
  if (i >= buf.length) throw new HarError('not JSON: the file is empty');
  const first = buf[i]!;
  if (first !== OPEN_OBJECT) {
    if (first === OPEN_ARRAY || first === QUOTE || first === 0x2d || (first >= 0x30 && first <= 0x39) || isJsonWord(buf, i)) {
      throw new HarError('not a HAR: expected a JSON object with log.entries');
    }
    throw new HarError(`not JSON: starts with ${JSON.stringify(buf.toString('utf8', i, Math.min(i + 12, buf.length)))}`);
  }

  let depth = 0;
  let lastString = '';
  let keyAtRoot = '';
  let keyInLog = '';
  let sawLog = false;
  let entriesDepth = -1;
  let sawEntries = false;
  let entryStart = -1;
  let count = 0;
  let closed = false;

  const emit = (end: number): void => {
    const text = buf.toString('utf8', entryStart, end);
    entryStart = -1;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch (error) {
      throw new HarError(`not valid JSON in log.entries[${count}]: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    onEntry(entry, count++);
  };

  for (; i < buf.length; i++) {
    const byte = buf[i]!;
    if (closed) {
      if (isSpace(byte)) continue;
      throw new HarError('not JSON: unexpected data after the end of the top-level object');
    }
    if (depth === entriesDepth && entryStart < 0 && !isSpace(byte) && byte !== COMMA && byte !== CLOSE_ARRAY) entryStart = i;
    if (byte === QUOTE) {
      const end = stringEnd(buf, i);
      if (end < 0) break;
      if (depth <= 2 && end - i < 40) lastString = buf.toString('utf8', i + 1, end);
      i = end;
      if (depth === entriesDepth && entryStart >= 0) emit(i + 1);
    } else if (byte === COLON) {
      if (depth === 1) keyAtRoot = lastString;
      else if (depth === 2) keyInLog = lastString;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth === 2 && byte === OPEN_OBJECT && keyAtRoot === 'log') {
        sawLog = true;
        keyInLog = '';
      }
      if (depth === 3 && byte === OPEN_ARRAY && keyAtRoot === 'log' && keyInLog === 'entries' && !sawEntries) {
        entriesDepth = 3;
        sawEntries = true;
      }
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth < 0) throw new HarError('not JSON: unbalanced brackets');
      if (depth === entriesDepth && entryStart >= 0) emit(i + 1);
      else if (depth === entriesDepth - 1 && byte === CLOSE_ARRAY) entriesDepth = -1;
      if (depth === 0) closed = true;
    } else if (depth === entriesDepth && entryStart >= 0 && !isSpace(byte)) {
      // A bare value (null, a number) in the entries array: it ends at the next separator.
      let end = i;
      while (end < buf.length && buf[end] !== COMMA && buf[end] !== CLOSE_ARRAY && !isSpace(buf[end]!)) end++;
      emit(end);
      i = end - 1;
    }
  }
  if (!closed) {
    const where = entriesDepth >= 0 ? ` inside log.entries (after ${count} entries)` : '';
    throw new HarError(`truncated: the file ends before its JSON does${where}`);
  }
  if (!sawLog) throw new HarError('not a HAR: missing "log"');
  if (!sawEntries) throw new HarError('not a HAR: missing log.entries');
  return { entries: count };
}

/** Index of the quote closing the string that opens at `start`, or -1 when the file ends first. */
function stringEnd(buf: Buffer, start: number): number {
  let j = start + 1;
  for (;;) {
    j = buf.indexOf(QUOTE, j);
    if (j < 0) return -1;
    let backslashes = 0;
    for (let k = j - 1; buf[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
    j++;
  }
}

function isJsonWord(buf: Buffer, i: number): boolean {
  const word = buf.toString('latin1', i, i + 5);
  return word.startsWith('true') || word.startsWith('false') || word.startsWith('null');
}
