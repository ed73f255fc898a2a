import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Analysis } from '../analyze/analyze.js';
import { ConfigError } from '../errors.js';
import { sortFindings } from '../scan-result.js';
import type { Finding, Severity } from '../types.js';
import type { FindingDraft, Rule } from './define-rule.js';
import { rules } from './index.js';

/** Run every enabled rule over the analysis and turn drafts into findings, sorted by file, line, column and rule id. */
export function runRules(analysis: Analysis, only?: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const configFile = analysis.config.file;
  for (const rule of rules) {
    if (only && !only.includes(rule.id)) continue;
    const setting = analysis.config.rules[rule.id];
    const severity = setting?.severity ?? rule.meta.severity;
    if (severity === 'off') continue;
    const options = { ...(rule.defaultOptions as object), ...(setting?.options ?? {}) };
    const ajv = setting?.options ? optionsValidator() : undefined;
    if (ajv && !ajv.validate(rule.meta.schema, setting!.options)) {
      const e = ajv.errors?.[0];
      throw new ConfigError(`${e?.instancePath || ''} ${e?.message ?? 'invalid options'}`.trim(), configFile, `rules.${rule.id}.options`);
    }
    const drafts = rule.run({ analysis, options });
    findings.push(...finalize(rule, drafts, severity));
  }
  return sortFindings(findings);
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function finalize(rule: Rule<any>, drafts: FindingDraft[], severity: Severity): Finding[] {
  // Occurrence numbers make identical keys in one file distinct, in source order, so that fixing one
  // and adding another of the same kind is not a wash.
  const sorted = [...drafts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.loc.line - b.loc.line || a.loc.column - b.loc.column));
  const seen = new Map<string, number>();
  return sorted.map((d) => {
    const base = `${rule.id}\0${d.file}\0${d.key}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const own = d.severity && RANK[d.severity] > RANK[severity] ? d.severity : severity;
    const finding: Finding = {
      ruleId: rule.id,
      messageId: d.messageId,
      data: d.data,
      message: format(rule.meta.messages[d.messageId] ?? d.messageId, d.data),
      severity: own,
      file: d.file,
      line: d.loc.line,
      column: d.loc.column,
      endLine: d.loc.endLine,
      endColumn: d.loc.endColumn,
      fingerprint: createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 20),
      contentKey: createHash('sha256').update(`${rule.id}\0${d.key}\0${n}`).digest('hex').slice(0, 20),
    };
    if (d.group) finding.group = d.group;
    if (d.related) finding.related = d.related;
    return finding;
  });
}

/** `{{name}}` placeholders from data. */
export function format(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(data[k] ?? `{{${k}}}`));
}

/** Ajv, loaded only when some rule has options to validate. */
function optionsValidator(): { validate(schema: object, data: unknown): boolean; errors?: { instancePath: string; message?: string }[] | null } {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv({ strict: false });
}
