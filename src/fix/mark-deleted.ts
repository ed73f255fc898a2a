import { applyEdits, modify, parse } from 'jsonc-parser';

/**
 * The config text with the given legacy entries (`groups[g].legacy[i]`) marked `"deleted": true`, edited in
 * place so comments and formatting stay: once cleanup removes a legacy module, the config must still load,
 * and imports of the module must keep failing the gate.
 */
export function markDeleted(text: string, entries: { group: number; index: number }[]): string {
  let out = text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const formattingOptions = { insertSpaces: !/^\t/m.test(text), tabSize: 2, eol };
  for (const { group, index } of entries) {
    const config = parse(out) as { groups: { legacy: (string | Record<string, unknown>)[] }[] };
    const entry = config.groups[group]!.legacy[index]!;
    const value = typeof entry === 'string' ? { module: entry, deleted: true } : { ...entry, deleted: true };
    out = applyEdits(out, modify(out, ['groups', group, 'legacy', index], value, { formattingOptions }));
  }
  return out;
}
