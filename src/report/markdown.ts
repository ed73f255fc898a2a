import type { Reporter } from './report-types.js';
import { coverageLine } from './coverage-line.js';

/** Escape text for a Markdown table cell. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A pull-request-comment summary: counts, findings table, and each group's consumer map. */
const markdown: Reporter = (result, options) => {
  const { errors, warnings, infos, byRule } = result.summary;
  const out: string[] = ['## ssot-kit', ''];
  out.push(`**${errors}** error(s), **${warnings}** warning(s), **${infos}** info. ${coverageLine(result)}`, '');
  for (const note of options.notes ?? []) out.push(note, '');
  if (Object.keys(byRule).length) {
    out.push('| Rule | Findings |', '| --- | ---: |');
    for (const [rule, n] of Object.entries(byRule).sort()) out.push(`| \`${rule}\` | ${n} |`);
    out.push('');
  }
  if (result.findings.length) {
    out.push('### Findings', '', '| Location | Severity | Rule | Message |', '| --- | --- | --- | --- |');
    for (const f of result.findings) out.push(`| \`${cell(f.file)}:${f.line}:${f.column}\` | ${f.severity} | \`${f.ruleId}\` | ${cell(f.message)} |`);
    out.push('');
  }
  for (const g of result.groups) {
    out.push(`### Group \`${g.name}\`${g.discovered ? ' (discovered)' : ''}`, '');
    out.push(`SSOT: \`${g.ssot.file}\`${g.ssot.export ? ` (\`${g.ssot.export}\`)` : ''}`, '');
    out.push('| Implementation | Kind | File | Consumers |', '| --- | --- | --- | ---: |');
    for (const i of g.implementations) out.push(`| \`${i.name}\`${i.ssot ? ' **(SSOT)**' : ''} | ${i.kind} | \`${i.file}:${i.line}\` | ${i.consumers.length} |`);
    out.push('');
    for (const i of g.implementations.filter((x) => x.consumers.length)) {
      out.push(`<details><summary>Consumers of <code>${i.name}</code> (${i.consumers.length})</summary>`, '');
      for (const c of i.consumers) out.push(`- \`${c.file}\` (${c.relations.join(', ')})`);
      out.push('', '</details>', '');
    }
    const onLegacy = g.legacy.filter((l) => l.consumers.length);
    if (onLegacy.length) {
      out.push('| Legacy module | Direct consumers |', '| --- | ---: |');
      for (const l of g.legacy) out.push(`| \`${cell(l.module)}\`${l.deleted ? ' (deleted)' : ''} | ${l.consumers.length} |`);
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
};

export default markdown;
