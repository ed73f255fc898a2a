import type { DeclFact, Loc } from '../types.js';

/**
 * What discovery needs of a declaration's text (issue 18), computed from the text alone so that both
 * facts extractors give the same facts: where it ends (to tell which uses are inside it), whether its
 * doc comment says `@deprecated`, and a sketch of its tokens to find near-identical copies.
 */

/** Declarations shorter than this many tokens get no sketch: `class A {}` twins are not copies worth a report. */
const MIN_TOKENS = 10;
/** Longer texts (generated tables, bundles) are not sketched: their cost would be the whole file's again. */
const MAX_CHARS = 100_000;
/** Tokens per shingle, and how many of the smallest shingle hashes the sketch keeps (a bottom-k MinHash). */
const SHINGLE = 4;
const SKETCH_SIZE = 24;
/** murmur3's 32-bit finalizer: spreads a combined hash over all bits (the sketch keeps the smallest). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * FNV-1a hashes of a text's tokens, with what a formatter changes dropped: comments, layout, `;` and `,`,
 * and the quote style of strings (`'a'` and `"a"` hash alike). One pass over the characters, no strings
 * made: the sketch is taken for most of a file's text, so it must cost little next to parsing it.
 */
function tokenHashes(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 59 || c === 44) {
      i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    let h = 0x811c9dc5;
    if (c === 39 || c === 34 || c === 96) {
      h = Math.imul(h ^ (c === 96 ? 96 : 39), 0x01000193);
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          j++;
          continue;
        }
        if (d === c || (c !== 96 && d === 10)) break;
        h = Math.imul(h ^ d, 0x01000193);
      }
      i = j + 1;
    } else if (isWordChar(c)) {
      let j = i;
      for (; j < n && isWordChar(text.charCodeAt(j)); j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
      i = j;
    } else {
      h = Math.imul(h ^ c, 0x01000193);
      i++;
    }
    out.push(h >>> 0);
  }
  return out;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 35 || c > 127;
}

/** Token count and the bottom-k hashes of a declaration's token shingles (see `tokenHashes`). */
export function sketch(text: string): DeclFact['sketch'] {
  if (text.length > MAX_CHARS) return undefined;
  const tokens = tokenHashes(text);
  if (tokens.length < MIN_TOKENS) return undefined;
  // The SKETCH_SIZE smallest distinct shingle hashes, kept sorted as they come.
  const bottom: number[] = [];
  for (let i = 0; i + SHINGLE <= tokens.length; i++) {
    let h = tokens[i]!;
    for (let k = 1; k < SHINGLE; k++) h = Math.imul(h, 31) + tokens[i + k]!;
    h = mix(h);
    if (bottom.length === SKETCH_SIZE && h >= bottom[SKETCH_SIZE - 1]!) continue;
    let at = bottom.length;
    while (at > 0 && bottom[at - 1]! > h) at--;
    if (bottom[at - 1] === h) continue;
    bottom.splice(at, 0, h);
    if (bottom.length > SKETCH_SIZE) bottom.pop();
  }
  return { tokens: tokens.length, hashes: bottom };
}

// Between a doc comment and the name it documents: decorators, modifiers and the declaration keyword.
const DOC_TO_NAME = /^\s*(?:@[\w.]+(?:\([^;]*?\))?\s*)*(?:(?:export|default|declare|abstract|async)\s+)*(?:class|function\s*\*?|const|let|var)?\s*$/;

/** Whether the doc comment right before the declaration whose name starts at `nameStart` says `@deprecated`. */
export function deprecatedAt(text: string, nameStart: number): boolean {
  // Searched in windows: a backward search with nothing to find would read the file to its start, per declaration.
  const from = Math.max(0, nameStart - 400);
  const close = text.slice(from, nameStart).lastIndexOf('*/');
  if (close < 0) return false;
  const end = from + close;
  const docFrom = Math.max(0, end - 8000);
  const open = text.slice(docFrom, end).lastIndexOf('/**');
  if (open < 0) return false;
  return text.slice(docFrom + open, end).includes('@deprecated') && DOC_TO_NAME.test(text.slice(end + 2, nameStart));
}

/**
 * Adds the extent, deprecation and sketch of a class, function or object-literal factory whose name
 * starts at `nameStart` and whose declaration ends at `end` (UTF-16 offsets); `loc` turns offsets into a range.
 */
export function describeDeclText(decl: DeclFact, text: string, nameStart: number, end: number, loc: (start: number, end: number) => Loc): void {
  const range = loc(nameStart, end);
  decl.extent = { endLine: range.endLine, endColumn: range.endColumn };
  if (deprecatedAt(text, nameStart)) decl.deprecated = true;
  const body = text.slice(nameStart, end);
  const s = sketch(body);
  if (s) decl.sketch = s;
  const delegated = decl.kind === 'class' && decl.methods ? delegatedMethods(body, decl.methods) : 0;
  if (delegated) decl.delegates = delegated;
}

const FIELD_CALL = /this\.#?[\w$]+\??\.([\w$]+)\s*\(/g;

/**
 * How many of a class's public methods it hands to a field's method of the same name
 * (`upload(f) { return this.provider.upload(f) }`): a class that does that for most of its API is a
 * layer over another (a controller over its service, a module service over its provider), not a rival.
 */
function delegatedMethods(body: string, methods: readonly string[]): number {
  if (!body.includes('this.')) return 0;
  const called = new Set<string>();
  for (const m of body.matchAll(FIELD_CALL)) called.add(m[1]!);
  return methods.filter((m) => called.has(m)).length;
}
