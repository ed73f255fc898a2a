import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { init, type ProposedGroup } from '../src/init-api.js';
import { roleNames, withoutOverlaps } from '../src/init-proposals.js';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

function fixtureWithoutConfig(): string {
  const root = tempProject({});
  cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
  rmSync(path.join(root, 'ssot.config.json'));
  return root;
}

describe('ssot init', () => {
  it('widens a group by its role names only with members of its kinds and packages; other matches are listed, not made legacy (issue 18)', async () => {
    const copy = (name: string): string => `export class ${name} {
      private readonly fields = new Map<string, string>();
      id?: string;
      email?: string;
      constructor(id?: string) { this.id = id; }
      where(): Record<string, string | undefined> { return { id: this.id, email: this.email }; }
      withEmail(email: string): ${name} { this.email = email; this.fields.set('email', email); return this; }
      toJSON(): string { return JSON.stringify({ id: this.id, email: this.email, fields: [...this.fields] }); }
    }
    `;
    const root = tempProject({
      'packages/api/package.json': '{ "name": "api" }\n',
      'packages/api/src/user/UserWhereUniqueInput.ts': copy('UserWhereUniqueInput'),
      'packages/api/src/legacy/OldUserWhereUniqueInput.ts': copy('OldUserWhereUniqueInput'),
      'packages/api/src/uses.ts': "import { OldUserWhereUniqueInput as UserWhereUniqueInput } from './legacy/OldUserWhereUniqueInput';\nimport { UserWhereUniqueInput as U } from './user/UserWhereUniqueInput';\nexport const a = new UserWhereUniqueInput('1');\nexport const b = new U('2');\nexport const c = new U('3');\n",
      'packages/gen/package.json': '{ "name": "gen" }\n',
      'packages/gen/src/createUserWhereUniqueInput.ts': 'export function createUserWhereUniqueInput(id: string): string { return `{ id: ${id} }`; }\n',
      'packages/other/package.json': '{ "name": "other" }\n',
      'packages/other/src/UserWhereUniqueInput.ts': 'export class UserWhereUniqueInput { key = 1; }\n',
    });
    const result = await init({ root, cache: false });
    const group = result.groups.find((g) => g.role.includes('*UserWhereUniqueInput'));
    expect(group, JSON.stringify(result.groups)).toBeDefined();
    expect(group!.legacy).toEqual(['packages/api/src/legacy/OldUserWhereUniqueInput.ts']);
    expect(group!.roleMatches?.map((m) => m.file).sort()).toEqual(['packages/gen/src/createUserWhereUniqueInput.ts', 'packages/other/src/UserWhereUniqueInput.ts']);
  });

  it('--yes on the fixture without its config proposes a group with the competing dispatchers and the SSOT most modules use', () => {
    const root = fixtureWithoutConfig();
    const r = runCli(['init', '.', '--yes', '--no-cache'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/group tool-dispatcher \((competing|duplicate-copy), confidence [\d.]+\): SSOT RequestScopedToolDispatcher \(src\/tools\/request-scoped-tool-dispatcher\.ts;/);
    expect(r.stdout).toMatch(/creates: \d+ finding\(s\), 2 legacy module\(s\)/);
    const config = JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8'));
    expect(config.groups).toHaveLength(1);
    expect(config.groups[0]).toMatchObject({
      name: 'tool-dispatcher',
      ssot: { module: 'src/tools/request-scoped-tool-dispatcher.ts', export: 'RequestScopedToolDispatcher' },
      // Each legacy member maps to the SSOT module's member of its kind: class to class, factory to factory.
      legacy: [
        { module: 'src/tools/tool-dispatcher.ts', renames: { ToolDispatcher: 'RequestScopedToolDispatcher' } },
        { module: 'src/tools/unified-tool-dispatcher.ts', renames: { UnifiedToolDispatcher: 'RequestScopedToolDispatcher', createUnifiedToolDispatcher: 'createToolDispatcher' } },
      ],
      role: { names: ['*ToolDispatcher'] },
    });
    for (const name of ['UnifiedToolDispatcher', 'ToolDispatcher', 'RequestScopedToolDispatcher']) expect(config.groups[0].description).toContain(name);
    // The written config drives a real scan.
    const scan = JSON.parse(runCli(['scan', '.', '--format', 'json', '--no-cache'], root).stdout);
    expect(scan.summary.byRule['legacy-import']).toBeGreaterThanOrEqual(25);
  });

  it('never overwrites an existing config without --force', () => {
    const root = fixtureWithoutConfig();
    writeFileSync(path.join(root, 'ssot.config.json'), '{ "groups": [] }\n');
    const refused = runCli(['init', '.', '--yes', '--no-cache'], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('a config already exists');
    expect(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')).toBe('{ "groups": [] }\n');
    expect(runCli(['init', '.', '--yes', '--force', '--no-cache'], root).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')).groups).toHaveLength(1);
  });

  it('writes an empty config when nothing competes', () => {
    const root = tempProject({ 'src/a.ts': 'export class Billing { charge(): void {} }\n' });
    const r = runCli(['init', '.', '--yes', '--no-cache'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no competing implementations found');
    expect(JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')).groups).toEqual([]);
  });

  it('$schema is the copy in node_modules relative to the config when installed there, else the published URL, never a path out of the repository', () => {
    const root = fixtureWithoutConfig();
    expect(runCli(['init', '.', '--yes', '--no-cache'], root).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')).$schema).toMatch(/^https:\/\/unpkg\.com\/ssot-kit@[\w.-]+\/schema\/ssot\.config\.schema\.json$/);
    mkdirSync(path.join(root, 'node_modules/ssot-kit/schema'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/ssot-kit/schema/ssot.config.schema.json'), '{}');
    expect(runCli(['init', '.', '--yes', '--force', '--no-cache'], root).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')).$schema).toBe('./node_modules/ssot-kit/schema/ssot.config.schema.json');
  });

  it('--update keeps the existing config and adds only groups that overlap none of its groups', () => {
    const root = fixtureWithoutConfig();
    expect(runCli(['init', '.', '--yes', '--no-cache'], root).code).toBe(0);
    const first = JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8'));
    writeFileSync(path.join(root, 'ssot.config.json'), JSON.stringify({ ...first, neverBaseline: ['import-cycle'] }));
    const r = runCli(['init', '.', '--update', '--yes', '--no-cache'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tool-dispatcher: overlaps group tool-dispatcher');
    const after = JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8'));
    expect(after.groups).toEqual(first.groups);
    expect(after.neverBaseline).toEqual(['import-cycle']);
  });

  it('a dismissed set keeps its candidates out of init for good', () => {
    const root = fixtureWithoutConfig();
    const members = ['src/tools/request-scoped-tool-dispatcher.ts#RequestScopedToolDispatcher', 'src/tools/tool-dispatcher.ts#ToolDispatcher', 'src/tools/unified-tool-dispatcher.ts#UnifiedToolDispatcher', 'src/tools/request-scoped-tool-dispatcher.ts#createToolDispatcher', 'src/tools/unified-tool-dispatcher.ts#createUnifiedToolDispatcher', 'src/tools/tool-executor-factory.ts#ToolExecutorFactory'];
    writeFileSync(path.join(root, 'ssot.config.json'), JSON.stringify({ groups: [], dismissed: [{ members, reason: 'judged by hand' }] }));
    const r = runCli(['init', '.', '--update', '--yes', '--no-cache'], root);
    expect(r.code).toBe(0);
    // Discovery itself leaves dismissed sets out (3caffe7), so init is offered none of them.
    expect(r.stdout).not.toContain('tool-dispatcher');
    expect(JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')).groups).toEqual([]);
  });

  it('without a chooser, refuses a group over the limits and says which limit', async () => {
    const root = fixtureWithoutConfig();
    const result = await init({ root, cache: false, limits: { legacyModules: 1, findings: 200 } });
    expect(result.groups).toEqual([]);
    expect(result.refused).toEqual([expect.objectContaining({ name: 'tool-dispatcher', reason: 'would create 2 legacy modules (limit 1)' })]);
    expect(JSON.parse(readFileSync(result.file, 'utf8')).groups).toEqual([]);
  });
});

describe('init proposals', () => {
  it('role globs are the shared multi-word name, never one generic word', () => {
    expect(roleNames(['RequestScopedToolDispatcher', 'UnifiedToolDispatcher', 'ToolDispatcher']).role).toEqual(['*ToolDispatcher']);
    expect(roleNames(['UserService', 'AccountService']).role).toEqual(['AccountService', 'UserService']);
    expect(roleNames(['OrderListComponent', 'OrderEditComponent']).role).toEqual(['OrderEditComponent', 'OrderListComponent']);
    expect(roleNames(['normalizeItemTaxLinesForCart', 'normalizeItemTaxLinesForOrder']).role).toEqual(['normalizeItemTaxLinesFor*']);
    expect(roleNames(['get_user', 'get_account']).role).toEqual(['get_account', 'get_user']);
  });

  it('keeps the surer of two overlapping proposals and makes names unique', () => {
    const group = (name: string, confidence: number, members: [string, string][], role: string[]): ProposedGroup => ({
      name, kind: 'duplicate-copy', confidence, role, why: '', ssot: { module: members[0]![1], export: members[0]![0] },
      legacy: [...new Set(members.slice(1).map((m) => m[1]))], members: members.map(([n, file]) => ({ name: n, file, moduleConsumers: 0 })),
    });
    const { kept, leftOut } = withoutOverlaps(
      [
        group('tax-lines', 0.8, [['normalizeShippingForCart', 'cart/tax.ts'], ['normalizeShippingForOrder', 'order/tax.ts']], ['normalizeShipping*']),
        group('tax-lines', 0.9, [['normalizeItemForCart', 'cart/tax.ts'], ['normalizeItemForOrder', 'order/tax.ts']], ['normalizeItem*']),
        group('tax-lines', 0.85, [['TaxCalculator', 'a/calc.ts'], ['LegacyTaxCalculator', 'b/calc.ts']], ['*TaxCalculator']),
      ],
      [],
    );
    expect(kept.map((k) => [k.name, k.members[0]!.name])).toEqual([['tax-lines', 'normalizeItemForCart'], ['tax-lines-2', 'TaxCalculator']]);
    expect(leftOut).toEqual([expect.objectContaining({ name: 'tax-lines', reason: 'overlaps group tax-lines' })]);
  });
});

