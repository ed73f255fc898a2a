/**
 * Vue, Svelte and Astro components keep their code in blocks of a markup file: `<script>` elements
 * (Vue's `<script setup>`, Svelte's `<script module>` too) and, in Astro, the `---` frontmatter. Both
 * extractors parse the same text made from it (issue 16: a legacy import in a component was missed).
 */
export const SFC_FILE = /\.(vue|svelte|astro)$/;

/** `type` values of a `<script>` that holds code; any other (a JSON or template block) is not code. */
const CODE_TYPES = /^(module|text\/javascript|application\/javascript|text\/typescript|application\/typescript|ts|js)$/i;
const OPEN_OR_COMMENT = /<!--|<script(?=[\s/>])/gi;
const CLOSE = /<\/script\s*>/gi;

/**
 * The component as a module: the text of its code blocks at their own offsets, every other character
 * blanked to a space (line breaks kept), so every line and column the extractors compute is the
 * file's own. The character that ends each block becomes `;`, so two blocks never run into one
 * statement. `name` is the file name to parse it under: `.ts`/`.tsx` when a block is TypeScript
 * (`lang="ts"`; Astro's frontmatter always is), else `.js`/`.jsx`.
 */
export function sfcModule(fileName: string, text: string): { name: string; text: string } {
  const blocks: [start: number, end: number][] = [];
  let ts = false;
  let jsx = false;
  let from = 0;
  if (fileName.endsWith('.astro')) {
    const fence = /^\s*---[^\S\r\n]*\r?\n/.exec(text);
    if (fence) {
      const close = /^---[^\S\r\n]*$/m;
      const rest = text.slice(fence[0].length);
      const end = close.exec(rest);
      const stop = end ? fence[0].length + end.index : text.length;
      blocks.push([fence[0].length, stop]);
      ts = true;
      from = stop;
    }
  }
  OPEN_OR_COMMENT.lastIndex = from;
  for (let m = OPEN_OR_COMMENT.exec(text); m; m = OPEN_OR_COMMENT.exec(text)) {
    if (m[0] === '<!--') {
      const end = text.indexOf('-->', m.index + 4);
      if (end < 0) break;
      OPEN_OR_COMMENT.lastIndex = end + 3;
      continue;
    }
    const tagEnd = endOfTag(text, m.index + m[0].length);
    if (tagEnd < 0) break;
    const attrs = attributes(text.slice(m.index + m[0].length, tagEnd));
    if (text[tagEnd - 1] === '/') {
      OPEN_OR_COMMENT.lastIndex = tagEnd + 1;
      continue;
    }
    CLOSE.lastIndex = tagEnd + 1;
    const close = CLOSE.exec(text);
    const stop = close ? close.index : text.length;
    OPEN_OR_COMMENT.lastIndex = close ? close.index + close[0].length : text.length;
    const type = attrs.get('type');
    if (type !== undefined && !CODE_TYPES.test(type)) continue;
    const lang = (attrs.get('lang') ?? type ?? '').toLowerCase();
    if (/^(ts|tsx|typescript|text\/typescript|application\/typescript)$/.test(lang)) ts = true;
    if (lang === 'tsx' || lang === 'jsx') jsx = true;
    blocks.push([tagEnd + 1, stop]);
  }
  return { name: `${fileName}.${ts ? 'ts' : 'js'}${jsx ? 'x' : ''}`, text: keepBlocks(text, blocks) };
}

/** The offset of the `>` that ends a tag whose attributes start at `at`, skipping quoted values; -1 if none. */
function endOfTag(text: string, at: number): number {
  let quote = '';
  for (let i = at; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) out.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** The text with everything outside `blocks` blanked (line terminators kept), and `;` where each block ends. */
function keepBlocks(text: string, blocks: [number, number][]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of blocks) {
    parts.push(blank(text.slice(at, start)), text.slice(start, end));
    at = end;
    if (at < text.length && !isLineTerminator(text.charCodeAt(at))) {
      parts.push(';');
      at++;
    }
  }
  parts.push(blank(text.slice(at)));
  return parts.join('');
}

/** Spaces for every UTF-16 unit but line terminators (which the parsers and `lineStarts` count as lines). */
function blank(s: string): string {
  return s.replace(/[^\r\n\u2028\u2029]+/g, (run) => ' '.repeat(run.length));
}

function isLineTerminator(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}
