import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { Finding } from '../../src/types.js';
import { tempProject } from './temp-project.js';

export interface ExpectedFinding {
  messageId: string;
  file: string;
  line: number;
  column?: number;
  /** Where the finding ends (exclusive column, as SARIF's `endColumn`): asserted when given. */
  endLine?: number;
  endColumn?: number;
  /** The full message, when a case pins the prose a template renders. */
  message?: string;
  severity?: Finding['severity'];
  data?: Record<string, string | number>;
}

export interface RuleCase {
  name: string;
  files: Record<string, string | object>;
  /** Written as ssot.config.json when given. */
  config?: object;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

/**
 * typescript-eslint-style tables for one rule: each case is a small project written to a temp folder
 * and scanned for real; valid cases must give no finding of the rule, invalid ones exactly `errors`
 * (message id, location, data), never prose.
 */
export function ruleTester(ruleId: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, async () => {
          const findings = await run(ruleId, c);
          expect(findings.map(brief)).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, async () => {
          const findings = await run(ruleId, c);
          const expected = [...c.errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0)));
          expect(findings.map(brief)).toEqual(expected.map((e) => `${e.file}:${e.line} ${e.messageId}`));
          expected.forEach((e, i) => {
            const f = findings[i]!;
            if (e.column !== undefined) expect(f.column, `${brief(f)} column`).toBe(e.column);
            if (e.endLine !== undefined) expect(f.endLine, `${brief(f)} endLine`).toBe(e.endLine);
            if (e.endColumn !== undefined) expect(f.endColumn, `${brief(f)} endColumn`).toBe(e.endColumn);
            if (e.message !== undefined) expect(f.message, `${brief(f)} message`).toBe(e.message);
            if (e.severity) expect(f.severity, `${brief(f)} severity`).toBe(e.severity);
            if (e.data) expect(f.data, `${brief(f)} data`).toMatchObject(e.data);
            expect(f.fingerprint).toMatch(/^[0-9a-f]{20}$/);
          });
        });
      }
    });
  });
}

async function run(ruleId: string, c: RuleCase): Promise<Finding[]> {
  const files = c.config ? { ...c.files, 'ssot.config.json': c.config } : c.files;
  const root = tempProject(files);
  const result = await scan({ root, cache: false, rules: [ruleId] });
  return result.findings.filter((f) => f.ruleId === ruleId);
}

function brief(f: { file: string; line: number; messageId: string }): string {
  return `${f.file}:${f.line} ${f.messageId}`;
}

/** A one-group config most rule tables share: SSOT in src/ssot.ts, legacy module src/legacy.ts. */
export function groupConfig(overrides: Record<string, unknown> = {}): object {
  return {
    groups: [
      {
        name: 'dispatcher',
        ssot: { module: 'src/ssot.ts', export: 'RequestScopedToolDispatcher', factory: 'createToolDispatcher' },
        legacy: ['src/legacy.ts'],
        role: { names: ['*ToolDispatcher'] },
        allow: ['src/legacy.ts'],
        ...overrides,
      },
    ],
  };
}

/**
 * The range `needle` covers in `code` (its `nth` occurrence): 1-based start, and end with an exclusive
 * column, as findings carry them.
 */
export function rangeOf(code: string, needle: string, nth = 0): { line: number; column: number; endLine: number; endColumn: number } {
  const start = locOf(code, needle, nth);
  const lines = needle.split('\n');
  const endLine = start.line + lines.length - 1;
  const endColumn = (lines.length === 1 ? start.column : 1) + lines[lines.length - 1]!.length;
  return { ...start, endLine, endColumn };
}

/** 1-based line and column of the first occurrence of `needle` in `code` (for expected locations). */
export function locOf(code: string, needle: string, nth = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = code.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" not found`);
  }
  const before = code.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
