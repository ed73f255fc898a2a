import { createRequire } from 'node:module';

/**
 * Parse JSON with comments and trailing commas, as TypeScript reads tsconfig.json.
 * Kept dependency-free so that resolving modules on a warm run never loads the compiler.
 */
export function parseJsonc(text: string): unknown {
  return JSON.parse(stripJsonc(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
}

/**
 * What is wrong with a JSON text, without quoting it: V8's messages quote the text (`Unexpected token
 * 'r', "root:x:0:0:"... is not valid JSON`), and a config or cache path may name a file that is not
 * ours to print (issue 15). Gives the line and column when V8 gives a position.
 */
export function describeJsonError(error: unknown, text?: string): string {
  if (!(error instanceof SyntaxError)) return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'unreadable';
  if (/end of JSON input/.test(error.message)) return 'not valid JSON: it ends too early';
  if (text === undefined) return 'not valid JSON';
  // Only on this error path: jsonc-parser gives the offset of the first error, which V8's message often lacks.
  const errors: import('jsonc-parser').ParseError[] = [];
  (createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser')).parse(text, errors, { allowTrailingComma: true });
  const offset = errors[0]?.offset ?? Number(/at position (\d+)/.exec(error.message)?.[1] ?? 0);
  const before = text.slice(0, offset).split('\n');
  return `not valid JSON at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** Replace comments by spaces (keeping offsets and lines), then drop trailing commas. */
export function stripJsonc(text: string): string {
  return dropTrailingCommas(stripComments(text));
}

function stripComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function dropTrailingCommas(text: string): string {
  let out = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === ',') {
      let j = i + 1;
      while (j < n && /\s/.test(text[j]!)) j++;
      out += text[j] === '}' || text[j] === ']' ? ' ' : ',';
    } else out += c;
  }
  return out;
}
