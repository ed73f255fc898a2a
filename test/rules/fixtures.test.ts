import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

/**
 * Multi-file scenarios: one folder per scenario under fixtures/rules/<rule-id>/, found by listing the
 * folders (no hand-kept list); each holds its `expected.json` of findings of that rule.
 */
const base = path.resolve('fixtures/rules');
const scenarios = readdirSync(base).flatMap((rule) => readdirSync(path.join(base, rule)).map((scenario) => [rule, scenario] as const));

describe('rule fixture folders', () => {
  it.each(scenarios)('%s / %s', async (rule, scenario) => {
    const root = path.join(base, rule, scenario);
    const expected = JSON.parse(readFileSync(path.join(root, 'expected.json'), 'utf8')) as string[];
    const result = await scan({ root, cache: false, rules: [rule] });
    expect(result.findings.map((f) => `${f.ruleId} ${f.messageId} ${f.file}:${f.line}:${f.column}`)).toEqual(expected);
  });

  it('has a folder for every multi-file rule', () => {
    for (const rule of ['legacy-import', 'import-cycle', 'competing-implementation']) expect(existsSync(path.join(base, rule))).toBe(true);
  });
});
