import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formats } from '../src/report/index.js';
import { rules } from '../src/rules/index.js';
import { cutoffOf, DECL_FIELDS } from '../src/incremental.js';

const SCOPES = ['every-file', 'by-name', 'unresolved', 'legacy', 'reach', 'implementation-modules', 'module-graph', 'module-instances', 'roles', 'same-name'];
const FACTS = ['refs', 'exports', 'starExports', 'decls', 'uses', 'state', 'units', 'typeOnlyUses', 'parseError'];

const readme = readFileSync('README.md', 'utf8');
/** Each rule's section, with its message ids, lives in docs/rules.md; the README keeps the table. */
const ruleDocs = readFileSync('docs/rules.md', 'utf8');
const reporterTests = readFileSync('test/report/reporters.test.ts', 'utf8');

describe('rule registry', () => {
  it.each(rules.map((r) => [r.id, r] as const))('%s has its file, test, docs and a complete meta', (id, rule) => {
    expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(existsSync(`src/rules/${id}.ts`)).toBe(true);
    expect(existsSync(`test/rules/${id}.test.ts`)).toBe(true);
    expect(ruleDocs).toContain(`## \`${id}\``);
    expect(readme).toContain(`| \`${id}\` |`);
    expect(rule.meta.description).toMatch(/^[A-Z`].*\.$/);
    expect(['error', 'warning', 'info']).toContain(rule.meta.severity);
    expect(rule.meta.schema).toMatchObject({ type: 'object', additionalProperties: false });
    for (const [messageId, template] of Object.entries(rule.meta.messages)) {
      expect(messageId).toMatch(/^[a-z][A-Za-z]*$/);
      expect(ruleDocs, `docs/rules.md documents ${id}/${messageId}`).toContain(`\`${messageId}\``);
      expect(template.length).toBeGreaterThan(10);
    }
    for (const key of Object.keys((rule.meta.schema as { properties: object }).properties)) {
      expect(rule.defaultOptions).toHaveProperty(key);
    }
    // What it reads (issue #20): the early cutoff is derived from these declarations.
    expect(rule.meta.reads).toBeDefined();
    for (const [fact, scopes] of Object.entries(rule.meta.reads.facts)) {
      expect(FACTS).toContain(fact);
      expect(scopes!.length).toBeGreaterThan(0);
      for (const scope of scopes!) expect(SCOPES).toContain(scope);
    }
    if (rule.meta.reads.facts.decls) expect(Object.keys(rule.meta.reads.declFields ?? {}).length, `${id} reads decls: which fields?`).toBeGreaterThan(0);
    for (const field of Object.keys(rule.meta.reads.declFields ?? {})) expect(Object.keys(DECL_FIELDS)).toContain(field);
  });

  it('leaves out of the cutoff only declaration fields no rule reads once groups are configured', () => {
    const reads = rules.map((r) => r.meta.reads);
    // Discovery's facts, and `mutable` (module state is read from the state facts).
    expect([...cutoffOf(reads, false).unreadDeclFields].sort()).toEqual(['abstract', 'delegates', 'deprecated', 'extent', 'mutable', 'sketch']);
    expect(cutoffOf(reads, true).unreadDeclFields).toEqual(['mutable']);
  });

  it('has unique ids', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });
});

describe('reporter registry', () => {
  it.each(formats)('%s has its file and tests', (name) => {
    expect(existsSync(`src/report/${name}.ts`)).toBe(true);
    expect(reporterTests).toContain(`getReporter('${name}')`);
  });
});
