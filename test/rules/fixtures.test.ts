import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { Finding } from '../../src/types.js';

/**
 * Multi-file scenarios: one folder per scenario under fixtures/rules/<rule-id>/, found by listing the
 * folders (no hand-kept list); each holds its `expected.json`: the exact findings of that rule, in
 * report order. An entry is either the short form `"<rule> <messageId> <file>:<line>:<column>"` or an
 * object of finding fields (`line`, `column`, `endLine`, `endColumn`, `data`, `message`…), each of
 * which must equal the finding's.
 */
type Expected = string | Partial<Finding>;

const base = path.resolve('fixtures/rules');
const scenarios = readdirSync(base).flatMap((rule) => readdirSync(path.join(base, rule)).map((scenario) => [rule, scenario] as const));

describe('rule fixture folders', () => {
  it.each(scenarios)('%s / %s', async (rule, scenario) => {
    const root = path.join(base, rule, scenario);
    const expected = JSON.parse(readFileSync(path.join(root, 'expected.json'), 'utf8')) as Expected[];
    const result = await scan({ root, cache: false, rules: [rule] });
    expect(result.findings.map((f, i) => fieldsOf(f, expected[i]))).toEqual(expected);
  });

  it('has a folder for every multi-file rule', () => {
    for (const rule of ['legacy-import', 'import-cycle', 'competing-implementation', 'unresolved-import']) expect(existsSync(path.join(base, rule))).toBe(true);
  });
});

/** The finding in the shape of its expected entry: the short form, or the fields the entry names. */
function fieldsOf(f: Finding, expected: Expected | undefined): Expected {
  if (typeof expected !== 'object') return `${f.ruleId} ${f.messageId} ${f.file}:${f.line}:${f.column}`;
  return Object.fromEntries(Object.keys(expected).map((k) => [k, f[k as keyof Finding]]));
}
