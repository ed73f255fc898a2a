import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

/** A class with a dispatcher's API, so that discovery groups the three copies below. */
const dispatcher = (name: string): string =>
  `export class ${name} {\n  registerTool(): void {}\n  dispatchToolCall(): void {}\n  listRegisteredTools(): string[] { return []; }\n  disposeAllTools(): void {}\n}\n`;

const deep = 'packages/agent-runtime/src/execution/tooling/dispatch';

/** Issue 19, item 8: a project with deep folders, repeated hints and a cycle, as a real repository has. */
function project(): string {
  return tempProject({
    'package.json': { name: 'deep', private: true },
    [`${deep}/primary-dispatcher.ts`]: dispatcher('PrimaryDispatcher'),
    [`${deep}/secondary-dispatcher.ts`]: dispatcher('SecondaryDispatcher'),
    [`${deep}/tertiary-dispatcher.ts`]: dispatcher('TertiaryDispatcher'),
    [`${deep}/uses-primary.ts`]: `import { PrimaryDispatcher } from './primary-dispatcher';\nexport const d = new PrimaryDispatcher();\nimport './missing-one';\nimport './missing-two';\n`,
    [`${deep}/cycle-start-module.ts`]: `import { b } from './cycle-end-module';\nexport const a = (): number => b() + 1;\n`,
    [`${deep}/cycle-end-module.ts`]: `import { a } from './cycle-start-module';\nexport const b = (): number => (a ? 1 : 0);\n`,
  });
}

describe('text report (the built CLI)', () => {
  const out = runCli(['scan', '.', '--no-cache', '--quiet'], project()).stdout;
  const lines = out.split('\n');

  it('keeps lines within 120 characters, file headings aside', () => {
    const long = lines.filter((l) => l.length > 120 && /\s/.test(l));
    expect(long).toEqual([]);
    expect(lines).toContain(`${deep}/cycle-end-module.ts`);
  });

  it('writes each path once per finding: a repeated `Name (path)` keeps its name, shared folders become …/', () => {
    const competing = out.split('\n\n').filter((block) => block.includes('competing-implementation') && block.includes('looks like'));
    expect(competing.length).toBeGreaterThanOrEqual(2);
    for (const block of competing) {
      const [, ...finding] = block.split('\n');
      expect(finding.join(' ').match(/primary-dispatcher\.ts/g)).toHaveLength(1);
    }
    expect(out).toMatch(/Import cycle of 2 modules: …\/cycle-end-module\.ts → …\/cycle-start-module\.ts → …\/cycle-end-module\.ts/);
  });

  it('says a hint findings repeat once, in the summary, with its count', () => {
    expect(out.match(/Run `ssot init` to make this a group\./g)).toHaveLength(1);
    expect(out).toMatch(/^  2 × competing-implementation: Run `ssot init` to make this a group\.$/m);
    expect(out).toMatch(/^  2 × unresolved-import: Fix the path or the tsconfig\/package\.json that maps it\.$/m);
    expect(out.match(/Fix the path/g)).toHaveLength(1);
  });
});

describe('ssot status without a config', () => {
  it('says what to do instead of printing an empty table', () => {
    const r = runCli(['status', '.', '--no-cache'], project());
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^group\s+phase/m);
    expect(r.stdout).toContain('No configured groups');
    expect(r.stdout).toContain('Run `ssot init`');
  });
});
