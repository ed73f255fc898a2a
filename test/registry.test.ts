import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formats } from '../src/report/index.js';
import { rules } from '../src/rules/index.js';

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
