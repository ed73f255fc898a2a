import { Chalk } from 'chalk';
import type { ScanResult } from '../scan-result.js';
import type { Finding } from '../types.js';
import type { Reporter } from './report-types.js';
import { coverageLine } from './coverage-line.js';
import { compactMessage, lastSentence, TEXT_WIDTH, wrapWords } from './text-message.js';

/** Where a finding's message starts: `  12:5     warning  `. */
const INDENT = ' '.repeat(20);

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
  const hints = repeatedHints(result.findings);
  for (const [file, findings] of byFile) {
    lines.push(c.underline(file));
    for (const f of findings) {
      const tail = lastSentence(f.message);
      const said = tail !== undefined && hints.has(`${f.ruleId}\0${tail}`) ? f.message.slice(0, -tail.length - 1) : f.message;
      const message = compactMessage(said, file);
      let body = wrapWords(message, TEXT_WIDTH - INDENT.length);
      // The rule id ends the last line: re-wrapped narrower when it would not fit there.
      if (body.at(-1)!.length + 2 + f.ruleId.length > TEXT_WIDTH - INDENT.length) body = wrapWords(message, TEXT_WIDTH - INDENT.length - 2 - f.ruleId.length);
      body[body.length - 1] = `${body.at(-1)}  ${c.dim(f.ruleId)}`;
      lines.push(`  ${c.dim(`${f.line}:${f.column}`.padEnd(8))} ${sev(f.severity)}  ${body.join(`\n${INDENT}`)}`);
    }
    lines.push('');
  }
  for (const g of result.groups) {
    const ssot = g.implementations.find((i) => i.ssot);
    const competing = g.implementations.filter((i) => !i.ssot).length;
    const legacyConsumers = new Set(g.legacy.flatMap((l) => l.consumers)).size;
    const [first, ...rest] = wrapWords(
      `group ${g.name}${g.discovered ? ' (discovered)' : ''}: SSOT ${ssot ? `${ssot.name} (${ssot.file})` : g.ssot.file}; ` +
        `${competing} competing implementation${competing === 1 ? '' : 's'}; ${legacyConsumers} file${legacyConsumers === 1 ? '' : 's'} on legacy modules`,
      TEXT_WIDTH,
    );
    const name = `group ${g.name}`;
    lines.push(`${c.bold(name)}${first!.slice(name.length).replace(' (discovered)', c.dim(' (discovered)'))}`, ...rest.map((r) => `  ${r}`));
    if (g.discovery) lines.push(...discoveryLines(g.discovery).flatMap((l) => wrapWords(l, TEXT_WIDTH - 4).map((w, i) => c.dim(`${i ? '    ' : '  '}${w}`))));
  }
  if (result.groups.length) lines.push('');
  const { errors, warnings, infos } = result.summary;
  const total = errors + warnings + infos;
  const head = total === 0 ? c.green('✔ no findings') : `${errors ? c.red('✖') : c.yellow('⚠')} ${total} finding${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info)`;
  lines.push(head);
  for (const [key, count] of hints) {
    const [ruleId, sentence] = key.split('\0') as [string, string];
    lines.push(`  ${count} × ${c.dim(ruleId)}: ${sentence}`);
  }
  lines.push(...wrapWords(coverageLine(result), TEXT_WIDTH).map((l, i) => c.dim(i ? `  ${l}` : l)));
  const config = result.config ? `Config: ${result.config}` : 'No ssot.config.json from here up to the repository root: groups were discovered by API similarity (`ssot init` writes one).';
  lines.push(...wrapWords(config, TEXT_WIDTH).map((l, i) => c.dim(i ? `  ${l}` : l)));
  for (const note of options.notes ?? []) lines.push(note);
  return `${lines.join('\n')}\n`;
};

/**
 * A last sentence that findings of one rule repeat ("Run `ssot init` to make this a group.", 42 times on
 * a real repository) is said once in the summary with its count, and left out of each finding's line.
 */
function repeatedHints(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const tail = lastSentence(f.message);
    if (tail !== undefined) counts.set(`${f.ruleId}\0${tail}`, (counts.get(`${f.ruleId}\0${tail}`) ?? 0) + 1);
  }
  for (const [key, count] of counts) if (count < 2) counts.delete(key);
  return counts;
}

export default text;
