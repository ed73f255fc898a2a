import type { FileFacts } from '../types.js';
import { parseErrorFacts } from './facts-common.js';

/**
 * A linear scan that finds where a file nests too deep to analyse, so that a hostile file (10,000 nested
 * parentheses, 5,000 nested template literals) becomes a `parse-error` finding at that place instead of
 * killing the run. TypeScript's parser throws a RangeError past V8's stack, which `extractFacts` catches;
 * this scan only places the finding. (It was a guard before any parse while ssot-kit also parsed with
 * oxc-parser, native code that dies with SIGSEGV past its stack: https://github.com/oxc-project/oxc/issues/24375.)
 *
 * It counts what makes a recursive-descent parser recurse: open brackets, template literals and their
 * `${`, JSX elements (one unit each), and within each open bracket the tokens that nest without
 * brackets, since the last `;`, `,` or statement-ending newline there: prefix and right-associative
 * operators (`!x`, `new`, `typeof`, `a = b = …`, `a ** b ** …`, `?`, `:`, `=>`, `<`), statement
 * keywords (`if (a) if (b) …`, `else if` chains) and `...` (one unit each), and left-associative
 * chains (`a + b + …`, `a.b.c…`, `f()()…`) (1/16 unit).
 * Strings, comments and regular expressions are skipped; JSX text is skipped in files that may hold JSX.
 * It over-approximates: a file it passes does not overflow the parser (test/hostile-nesting.test.ts).
 */

/**
 * Units of nesting past which a file is reported as too deep. TypeScript's parser overflows V8's default
 * main-thread stack (984 KB) at 488 nested object literals or generic arguments, 586 nested calls or
 * template literals and 684 parentheses (measured, Node 20). 256 keeps a margin of almost 2 under the
 * lowest, and is far above real code: the deepest of the 4,860 TypeScript and JavaScript files (68.6 MB)
 * in this repository's node_modules measures 109.
 */
export const NESTING_LIMIT = 256;

const HEAVY = 16;
const LIGHT = 1;

const PAREN = 0;
const BRACKET = 1;
const BRACE = 2;
/** `${` in a template literal: its `}` goes back to the template's text. */
const SUBST = 3;
const TEMPLATE = 4;
/** Inside `<tag …>`, and then in the element's children (text). */
const JSX_TAG = 5;
const JSX_CHILDREN = 6;

/** Word classes: what a word does to the nesting and to what follows it. */
const HEAVY_WORD = 1; // nests what follows: a prefix operator, a statement with a nested body, a type operator
const LIGHT_WORD = 2; // a binary-operator word: left-associative, an operand follows
const EXPRESSION_WORD = 3; // an expression follows (a `/` is a regular expression), not nested
const CLAUSE_WORD = 4; // `case`, `default`: a new clause, nothing nests across it
const CONTINUATION_WORD = 8; // continues the statement on the line before (no reset at the newline before it)
const WORDS = new Map<string, number>([
  ...['typeof', 'void', 'delete', 'await', 'new', 'yield', 'if', 'while', 'for', 'do', 'with', 'keyof', 'infer', 'readonly', 'unique', 'asserts'].map((w) => [w, HEAVY_WORD] as const),
  ['else', HEAVY_WORD | CONTINUATION_WORD],
  ['extends', HEAVY_WORD | CONTINUATION_WORD],
  ...['instanceof', 'in', 'of', 'as', 'satisfies', 'is'].map((w) => [w, LIGHT_WORD | CONTINUATION_WORD] as const),
  ['implements', CONTINUATION_WORD],
  ...['return', 'throw', 'export', 'break', 'continue'].map((w) => [w, EXPRESSION_WORD] as const),
  ['case', CLAUSE_WORD],
  ['default', CLAUSE_WORD],
]);

function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c === 92 || c === 35 || c >= 128;
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The offset at which `text` first nests deeper than `limit` units (see the module comment), or -1
 * when it never does. `jsx`: whether `<` at the start of an expression opens a JSX element (every
 * extension but `.ts`, `.mts` and `.cts`, where it is a type assertion).
 */
export function deepNestingAt(text: string, jsx: boolean, limit = NESTING_LIMIT): number {
  const max = limit * HEAVY;
  let kinds = new Uint8Array(64);
  let runs = new Int32Array(64);
  let top = 0; // level 0 is the file; it counts no unit itself
  kinds[0] = BRACE;
  let sum = 0; // the runs of every open level
  /** Whether the last token ends an operand: a `/` after it divides, a `(` after it calls. */
  let operand = false;
  /** A line ended since the last token. */
  let newline = false;
  const n = text.length;
  let i = 0;

  const add = (w: number): boolean => {
    runs[top]! += w;
    sum += w;
    return top * HEAVY + sum > max;
  };
  const reset = (): void => {
    sum -= runs[top]!;
    runs[top] = 0;
  };
  const push = (kind: number): boolean => {
    if (++top === kinds.length) {
      const k = new Uint8Array(top * 2);
      k.set(kinds);
      kinds = k;
      const r = new Int32Array(top * 2);
      r.set(runs);
      runs = r;
    }
    kinds[top] = kind;
    runs[top] = 0;
    return top * HEAVY + sum > max;
  };
  const pop = (): void => {
    sum -= runs[top]!;
    top--;
  };
  /** Closes the nearest open `kind` (and whatever a misread left open above it); a closer with none is ignored. */
  const close = (kind: number, alt = kind): void => {
    let k = top;
    while (k > 0 && kinds[k] !== kind && kinds[k] !== alt) k--;
    if (k > 0) while (top >= k) pop();
  };

  while (i < n) {
    const level = kinds[top]!;
    if (level === TEMPLATE || level === JSX_CHILDREN) {
      // Template text up to `${` or the closing backquote; JSX text up to `{` or `<`.
      let c = text.charCodeAt(i);
      if (level === TEMPLATE) {
        while (i < n && c !== 96 && !(c === 36 && text.charCodeAt(i + 1) === 123)) {
          i += c === 92 ? 2 : 1;
          c = text.charCodeAt(i);
        }
        if (i >= n) break;
        if (c === 96) {
          pop();
          i++;
          operand = true;
        } else {
          i += 2;
          if (push(SUBST)) return i - 2;
          operand = false;
        }
        continue;
      }
      while (i < n && c !== 123 && c !== 60) c = text.charCodeAt(++i);
      if (i >= n) break;
      if (c === 123) {
        i++;
        if (push(BRACE)) return i - 1;
        operand = false;
      } else if (text.charCodeAt(i + 1) === 47) {
        // `</tag>`: the element ends.
        pop();
        i += 2;
        while (i < n && text.charCodeAt(i) !== 62) i++;
        i++;
        operand = true;
      } else {
        i++;
        if (push(JSX_TAG)) return i - 1;
        operand = false;
      }
      continue;
    }

    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xfeff) {
      i++;
      continue;
    }
    if (isNewline(c)) {
      newline = true;
      i++;
      continue;
    }
    if (c === 47) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        // A line comment: up to the newline, which is seen next.
        i += 2;
        while (i < n && !isNewline(text.charCodeAt(i))) i++;
        continue;
      }
      if (next === 42) {
        const end = text.indexOf('*/', i + 2);
        const stop = end === -1 ? n : end + 2;
        for (let j = i + 2; j < stop - 2; j++) if (isNewline(text.charCodeAt(j))) newline = true;
        i = stop;
        continue;
      }
    }
    // A token: at a line start after a complete operand, the line before ended its statement (ASI)
    // unless this token continues it (an operator, a bracket, `else`…).
    const lineStart = newline;
    newline = false;
    const start = i;

    if (isIdentifierChar(c) && !(c >= 48 && c <= 57)) {
      i++;
      while (i < n && isIdentifierChar(text.charCodeAt(i))) i++;
      // Every word the table holds is lower case, 2 to 10 letters long.
      const word = i - start <= 10 && i - start >= 2 && c >= 97 ? (WORDS.get(text.slice(start, i)) ?? 0) : 0;
      if (lineStart && operand && !(word & CONTINUATION_WORD)) reset();
      const role = word & 7;
      if (role === HEAVY_WORD) {
        if (add(HEAVY)) return start;
        operand = false;
      } else if (role === LIGHT_WORD) {
        if (add(LIGHT)) return start;
        operand = false;
      } else if (role === EXPRESSION_WORD || role === CLAUSE_WORD) {
        if (role === CLAUSE_WORD) reset();
        operand = false;
      } else operand = true;
      continue;
    }
    if ((c >= 48 && c <= 57) || (c === 46 && !operand && (text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57))) {
      if (lineStart && operand) reset();
      i++;
      while (i < n && (isIdentifierChar(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      operand = true;
      continue;
    }
    if (c === 39 || c === 34) {
      if (lineStart && operand) reset();
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === c) break;
        if (isNewline(d)) break; // unterminated: the parser reports it
        i += d === 92 ? 2 : 1;
      }
      i++;
      operand = true;
      continue;
    }
    if (c === 96) {
      if (operand && add(LIGHT)) return i; // a tagged template: a chain
      i++;
      if (push(TEMPLATE)) return i - 1;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) {
      // A call, an index or a block after an operand also extends a chain.
      if (operand && add(LIGHT)) return i;
      i++;
      if (push(c === 40 ? PAREN : c === 91 ? BRACKET : BRACE)) return i - 1;
      operand = false;
      continue;
    }
    if (c === 41 || c === 93 || c === 125) {
      i++;
      if (c === 125 && kinds[top] === SUBST) {
        pop(); // back to the template's text
        continue;
      }
      close(c === 41 ? PAREN : c === 93 ? BRACKET : BRACE, c === 125 ? SUBST : -1);
      operand = true;
      continue;
    }
    if (c === 59 || c === 44) {
      i++;
      reset();
      operand = false;
      continue;
    }
    if (c === 47) {
      i++;
      if (!operand) {
        // A regular expression: up to the unescaped `/` outside a class, then its flags.
        let inClass = false;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (isNewline(d)) break;
          i++;
          if (d === 92) i++;
          else if (d === 91) inClass = true;
          else if (d === 93) inClass = false;
          else if (d === 47 && !inClass) break;
        }
        while (i < n && isIdentifierChar(text.charCodeAt(i))) i++;
        operand = true;
        continue;
      }
      const assign = text.charCodeAt(i) === 61;
      if (assign) i++;
      if (add(assign ? HEAVY : LIGHT)) return start;
      operand = false;
      continue;
    }
    if (c === 60 && jsx && !operand && isJsxStart(text, i + 1)) {
      i++;
      if (push(JSX_TAG)) return start;
      operand = false;
      continue;
    }
    if (kinds[top] === JSX_TAG && (c === 62 || (c === 47 && text.charCodeAt(i + 1) === 62))) {
      // `>` ends the opening tag (its children follow), `/>` the element.
      if (c === 62) {
        i++;
        reset();
        kinds[top] = JSX_CHILDREN;
      } else {
        i += 2;
        pop();
        operand = true;
      }
      continue;
    }
    // An operator: read it whole, then weigh it.
    let w = LIGHT;
    let postfix = false;
    const next = text.charCodeAt(i + 1);
    switch (c) {
      case 61: // = == === =>
        if (next === 62) i += 2;
        else if (next === 61) {
          i += text.charCodeAt(i + 2) === 61 ? 3 : 2;
          break;
        } else i++;
        w = HEAVY;
        break;
      case 33: // ! != !==
        if (next === 61) i += text.charCodeAt(i + 2) === 61 ? 3 : 2;
        else {
          i++;
          if (operand) postfix = true; // a non-null assertion
          else w = HEAVY;
        }
        break;
      case 43: // + ++ +=
      case 45: // - -- -=
        if (next === c) {
          i += 2;
          if (operand) postfix = true;
          else w = HEAVY;
        } else if (next === 61) {
          i += 2;
          w = HEAVY;
        } else {
          i++;
          if (!operand) w = HEAVY;
        }
        break;
      case 42: // * ** *= **=
        i += next === 42 ? 2 : 1;
        if (next === 42) w = HEAVY;
        if (text.charCodeAt(i) === 61) {
          i++;
          w = HEAVY;
        }
        break;
      case 60: // < << <= <<=
        if (next === 60) {
          i += 2;
          if (text.charCodeAt(i) === 61) {
            i++;
            w = HEAVY;
          }
        } else if (next === 61) i += 2;
        else {
          i++;
          w = HEAVY; // type arguments nest: `A<B<C<…>>>`
        }
        break;
      case 62: {
        // > >> >>> >= >>= >>>=
        let k = i;
        while (text.charCodeAt(k) === 62) k++;
        if (text.charCodeAt(k) === 61) {
          if (k - i >= 2) w = HEAVY;
          k++;
        }
        i = k;
        break;
      }
      case 63: // ? ?? ??= ?.
        if (next === 63) {
          i += 2;
          if (text.charCodeAt(i) === 61) {
            i++;
            w = HEAVY;
          }
        } else if (next === 46 && !(text.charCodeAt(i + 2) >= 48 && text.charCodeAt(i + 2) <= 57)) i += 2;
        else {
          i++;
          w = HEAVY;
        }
        break;
      case 46: // . ...
        if (next === 46 && text.charCodeAt(i + 2) === 46) {
          i += 3;
          w = HEAVY;
        } else i++;
        break;
      case 38: // & && &= &&=
      case 124: // | || |= ||=
        i += next === c ? 2 : 1;
        if (text.charCodeAt(i) === 61) {
          i++;
          w = HEAVY;
        }
        break;
      case 37: // % %=
      case 94: // ^ ^=
        i += next === 61 ? 2 : 1;
        if (next === 61) w = HEAVY;
        break;
      case 58: // :
      case 126: // ~
        i++;
        w = HEAVY;
        break;
      default:
        // `@`, and anything the parser will reject anyway.
        i++;
        w = 0;
    }
    if (lineStart && operand && w === 0) reset();
    if (w && add(w)) return start;
    operand = postfix;
  }
  return -1;
}

/** After `<` at the start of an expression: a tag name or `>` (a fragment), but not type parameters (`<T,>`, `<T extends U>`). */
function isJsxStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 62) return true;
  if (!isIdentifierChar(c) || (c >= 48 && c <= 57)) return false;
  let k = i;
  while (isIdentifierChar(text.charCodeAt(k))) k++;
  while (text.charCodeAt(k) === 32) k++;
  if (text.charCodeAt(k) === 44) return false;
  return !text.startsWith('extends ', k);
}

/** Whether `<` may open a JSX element in this file: anything but `.ts`, `.mts`, `.cts` (where it is a type assertion). */
export function mayHoldJsx(fileName: string): boolean {
  return !/\.[cm]?ts$/.test(fileName);
}

/**
 * The facts of a file nested too deep to analyse (a parser or the facts walk ran out of stack): a parse
 * error at the place the pre-scan finds it nesting past `NESTING_LIMIT`, else at the start of the file.
 */
export function deepNestingFacts(fileName: string, text: string): FileFacts {
  const at = deepNestingAt(text, mayHoldJsx(fileName));
  const message = at >= 0 ? `nesting too deep to analyse (over ${NESTING_LIMIT} levels)` : 'nesting too deep to analyse (the parser ran out of stack)';
  return parseErrorFacts(text, message, Math.max(at, 0));
}
