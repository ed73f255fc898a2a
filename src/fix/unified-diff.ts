import { createTwoFilesPatch } from 'diff';

/** A git-style unified diff of one file (`/dev/null` for a removed file), with three lines of context. */
export function unifiedDiff(file: string, before: string, after: string | undefined): string {
  const patch = createTwoFilesPatch(`a/${file}`, after === undefined ? '/dev/null' : `b/${file}`, before, after ?? '', undefined, undefined, { context: 3 });
  // jsdiff opens with a `====` rule and ends file names with a tab (for empty headers): git does neither.
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('===='))
    .map((line) => (line.startsWith('--- ') || line.startsWith('+++ ') ? line.trimEnd() : line))
    .join('\n');
}
