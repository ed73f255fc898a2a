import { Chalk } from 'chalk';
import type { ScanResult } from '../scan-result.js';
import type { Finding } from '../types.js';
import type { Reporter } from './report-types.js';
import { coverageLine } from './coverage-line.js';

/** A discovered group's kind, confidence, strongest evidence and why its SSOT was suggested (issue 18). */
function discoveryLines(d: NonNullable<ScanResult['groups'][number]['discovery']>): string[] {
  const kinds = [...new Set(d.evidence.filter((e) => e.weight > 0 || e.kind === 'contract').map((e) => e.kind))].join(', ');
  const top = [...d.evidence].sort((a, b) => b.weight - a.weight).slice(0, 3);
  return [`${d.kind}, confidence ${d.confidence.toFixed(2)} (${kinds})`, ...top.map((e) => `${e.kind} ${e.weight.toFixed(2)}: ${e.detail}`), ...(d.ssotReasons.length ? [`SSOT: ${d.ssotReasons.join('; ')}`] : [])];
}

/** Findings grouped by file (`file:line:col  severity  message  rule-id`), then groups and a summary. */
const text: Reporter = (result, options) => {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) (byFile.get(f.file) ?? byFile.set(f.file, []).get(f.file)!).push(f);
  const sev = (s: Finding['severity']): string => (s === 'error' ? c.red('error  ') : s === 'warning' ? c.yellow('warning') : c.blue('info   '));
  for (const [file, findings] of byFile) {
    lines.push(c.underline(file));
    for (const f of findings) lines.push(`  ${c.dim(`${f.line}:${f.column}`.padEnd(8))} ${sev(f.severity)}  ${f.message}  ${c.dim(f.ruleId)}`);
    lines.push('');
  }
  for (const g of result.groups) {
    const ssot = g.implementations.find((i) => i.ssot);
    const competing = g.implementations.filter((i) => !i.ssot).length;
    const legacyConsumers = new Set(g.legacy.flatMap((l) => l.consumers)).size;
    lines.push(
      `${c.bold(`group ${g.name}`)}${g.discovered ? c.dim(' (discovered)') : ''}: SSOT ${ssot ? `${ssot.name} (${ssot.file})` : g.ssot.file}; ` +
        `${competing} competing implementation${competing === 1 ? '' : 's'}; ${legacyConsumers} file${legacyConsumers === 1 ? '' : 's'} on legacy modules`,
    );
    if (g.discovery) lines.push(...discoveryLines(g.discovery).map((l) => c.dim(`  ${l}`)));
  }
  if (result.groups.length) lines.push('');
  const { errors, warnings, infos } = result.summary;
  const total = errors + warnings + infos;
  const head = total === 0 ? c.green('✔ no findings') : `${errors ? c.red('✖') : c.yellow('⚠')} ${total} finding${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info)`;
  lines.push(head);
  lines.push(c.dim(coverageLine(result)));
  lines.push(c.dim(result.config ? `Config: ${result.config}` : 'No ssot.config.json from here up to the repository root: groups were discovered by API similarity (`ssot init` writes one).'));
  for (const note of options.notes ?? []) lines.push(note);
  return `${lines.join('\n')}\n`;
};

export default text;
