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
const TOKEN = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\[\s\S])*`|[\w$#]+|\S/g;

/** FNV-1a over a string, 32 bits. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Tokens of a declaration's text, with what a formatter changes dropped (comments, layout, `;` and `,`,
 * the quote style of strings); the bottom-k hashes of its token shingles.
 */
export function sketch(text: string): DeclFact['sketch'] {
  if (text.length > MAX_CHARS) return undefined;
  const tokens: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0];
    if (t === ';' || t === ',' || t.startsWith('//') || t.startsWith('/*')) continue;
    tokens.push(t.charCodeAt(0) === 34 || t.charCodeAt(0) === 39 ? `'${t.slice(1, -1)}'` : t);
  }
  if (tokens.length < MIN_TOKENS) return undefined;
  const hashes = new Set<number>();
  for (let i = 0; i + SHINGLE <= tokens.length; i++) hashes.add(hash(tokens.slice(i, i + SHINGLE).join(' ')));
  return { tokens: tokens.length, hashes: [...hashes].sort((a, b) => a - b).slice(0, SKETCH_SIZE) };
}

// Between a doc comment and the name it documents: decorators, modifiers and the declaration keyword.
const DOC_TO_NAME = /^\s*(?:@[\w.]+(?:\([^;]*?\))?\s*)*(?:(?:export|default|declare|abstract|async)\s+)*(?:class|function\s*\*?|const|let|var)?\s*$/;

/** Whether the doc comment right before the declaration whose name starts at `nameStart` says `@deprecated`. */
export function deprecatedAt(text: string, nameStart: number): boolean {
  const end = text.lastIndexOf('*/', nameStart);
  if (end < 0 || nameStart - end > 400) return false;
  const start = text.lastIndexOf('/**', end);
  if (start < 0) return false;
  return text.slice(start, end).includes('@deprecated') && DOC_TO_NAME.test(text.slice(end + 2, nameStart));
}

/**
 * Adds the extent, deprecation and sketch of a class, function or object-literal factory whose name
 * starts at `nameStart` and whose declaration ends at `end` (UTF-16 offsets); `loc` turns offsets into a range.
 */
export function describeDeclText(decl: DeclFact, text: string, nameStart: number, end: number, loc: (start: number, end: number) => Loc): void {
  const range = loc(nameStart, end);
  decl.extent = { endLine: range.endLine, endColumn: range.endColumn };
  if (deprecatedAt(text, nameStart)) decl.deprecated = true;
  const s = sketch(text.slice(nameStart, end));
  if (s) decl.sketch = s;
}
