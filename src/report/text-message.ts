/**
 * How the text report shows a finding's message (issue 19, item 8): the JSON, SARIF and other reports
 * keep `message` whole; a person reading a terminal gets each path once, short lines and a hint said
 * once in the summary instead of on every finding.
 */

/** Root-relative paths in a message (`packages/core/src/a.ts`): two or more segments and an extension. */
const PATH = /(?<![\w@.$+[\]/-])(?:[\w@.$+[\]-]+\/)+[\w@.$+[\]-]+\.[A-Za-z]{1,5}(?![\w/])/g;

/** The text report's line width: long messages wrap at spaces onto indented lines. */
export const TEXT_WIDTH = 120;

/**
 * The message as the text report shows it under its file's heading. A `Name (path)` mentioned again
 * keeps only its name; paths in the same folder tree as the file lose the folders they share with it,
 * written `…/` (the heading above spells them), when that saves two or more folders.
 */
export function compactMessage(message: string, file: string): string {
  const named = new Set<string>();
  let out = message.replace(/(\S+) \(([^()\s]+\/[^()\s]+)\)/g, (whole, name: string, p: string) => {
    const key = `${name}\0${p}`;
    if (named.has(key)) return name;
    named.add(key);
    return whole;
  });
  const paths = out.match(PATH) ?? [];
  if (paths.length === 0) return out;
  const prefix = commonFolder([file, ...paths]);
  if (prefix.split('/').length < 3) return out; // 'a/b/' or more
  out = out.replace(PATH, (p) => `…/${p.slice(prefix.length)}`);
  return out;
}

/** The longest folder prefix (ending in '/') that every path starts with; '' when none. */
function commonFolder(paths: string[]): string {
  let prefix = paths[0]!.slice(0, paths[0]!.lastIndexOf('/') + 1);
  for (const p of paths) while (prefix && !p.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  return prefix;
}

/** A message's last sentence, when it has one after another: `Cannot resolve x. Fix the path.` → `Fix the path.` */
export function lastSentence(message: string): string | undefined {
  const at = message.lastIndexOf('. ');
  if (at < 0) return undefined;
  const tail = message.slice(at + 2);
  return /^[A-Z`]/.test(tail) && tail.endsWith('.') ? tail : undefined;
}

/**
 * Words joined into lines of at most `width` characters (a longer word gets a line of its own); a
 * `code span` is never broken.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.match(/(?:`[^`]*`|[^\s`])+/g) ?? []) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
