import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

function fixtureWithoutConfig(): string {
  const root = tempProject({});
  cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
  rmSync(path.join(root, 'ssot.config.json'));
  return root;
}

describe('ssot init', () => {
  it('--yes on the fixture without its config proposes a group with the competing dispatchers and the SSOT most modules use', () => {
    const root = fixtureWithoutConfig();
    const r = runCli(['init', '.', '--yes', '--no-cache'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('group tool-dispatcher: SSOT RequestScopedToolDispatcher (src/tools/request-scoped-tool-dispatcher.ts;');
    const config = JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8'));
    expect(config.groups).toHaveLength(1);
    expect(config.groups[0]).toMatchObject({
      name: 'tool-dispatcher',
      ssot: { module: 'src/tools/request-scoped-tool-dispatcher.ts', export: 'RequestScopedToolDispatcher' },
      legacy: ['src/tools/tool-dispatcher.ts', 'src/tools/unified-tool-dispatcher.ts'],
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
});
