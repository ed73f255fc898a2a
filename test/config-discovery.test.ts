import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, scan } from '../src/index.js';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';
import { tempProject, writeFiles } from './helpers/temp-project.js';

/** Issue 16, items 5, 7 and 10: the config is found upward, and config keys that name nothing are errors. */
const brief = (findings: { ruleId: string; file: string; line: number; column: number }[], prefix = ''): string[] =>
  findings.map((f) => `${f.ruleId} ${prefix}${f.file}:${f.line}:${f.column}`).sort();

const app = {
  'ssot.config.jsonc': `{
    // a comment: the .jsonc name is read as JSON with comments
    "include": ["packages/api/src/**/*.ts"],
    "groups": [{ "name": "tools", "ssot": { "module": "packages/api/src/new-tools.ts", "export": "Tools", "factory": "createTools" }, "legacy": ["packages/api/src/old-tools.ts"] }]
  }`,
  'tsconfig.json': { compilerOptions: { strict: true, paths: { '@api/*': ['./packages/api/src/*'] } } },
  'packages/api/src/new-tools.ts': 'export class Tools { run(): void {} }\nexport function createTools(): Tools { return new Tools(); }\n',
  'packages/api/src/old-tools.ts': 'export class OldTools { run(): void {} }\n',
  'packages/api/src/handlers/consumer.ts': "import { OldTools } from '@api/old-tools';\nexport const tools = new OldTools();\n",
  'packages/api/src/handlers/relative.ts': "import { OldTools } from '../old-tools';\nexport const more = new OldTools();\n",
};

describe('config discovery (issue 16, item 5)', () => {
  it('scanning a subfolder uses the repository\'s config and tsconfig above it: the same findings, relative to the scanned folder', async () => {
    const { root } = gitRepo(app);
    const whole = await scan({ root, cache: false });
    const sub = await scan({ root: path.join(root, 'packages/api'), cache: false });
    expect(brief(whole.findings).filter((f) => f.includes('legacy-import'))).toEqual([
      'legacy-import packages/api/src/handlers/consumer.ts:1:26',
      'legacy-import packages/api/src/handlers/relative.ts:1:26',
    ]);
    expect(brief(sub.findings, 'packages/api/')).toEqual(brief(whole.findings));
    expect(sub.config).toBe('../../ssot.config.jsonc');
    const text = runCli(['scan', path.join(root, 'packages/api/src'), '--no-cache']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('handlers/consumer.ts');
    expect(text.stdout).toContain('Config: ../../../ssot.config.jsonc');
    const sarif = JSON.parse(runCli(['scan', path.join(root, 'packages/api'), '--no-cache', '--format', 'sarif']).stdout);
    expect(sarif.runs[0].properties.config).toBe('../../ssot.config.jsonc');
  });

  it('says when no config was found and discovery ran; outside git only the scanned folder is looked at', () => {
    const root = tempProject({ ...app });
    const r = runCli(['scan', path.join(root, 'packages/api'), '--no-cache']);
    expect(r.stdout).toContain('No ssot.config.json from here up to the repository root: groups were discovered');
    const sarif = JSON.parse(runCli(['scan', path.join(root, 'packages/api'), '--no-cache', '--format', 'sarif']).stdout);
    expect(sarif.runs[0].properties.config).toBeNull();
  });

  it('check --since from a subfolder judges the revision with the same config', () => {
    const { root, commit } = gitRepo(app);
    const sub = path.join(root, 'packages/api');
    expect(runCli(['check', sub, '--since', 'HEAD', '--no-cache']).code).toBe(0);
    writeFiles(root, { 'packages/api/src/handlers/new-consumer.ts': "import { OldTools } from '../old-tools';\nexport const x = new OldTools();\n" });
    commit('a new consumer');
    const r = runCli(['check', sub, '--since', 'HEAD~1', '--no-cache', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(brief(JSON.parse(r.stdout).findings)).toEqual(['legacy-import src/handlers/new-consumer.ts:1:26']);
  });
});

describe('config keys that name nothing (issue 16, items 7 and 10)', () => {
  const withConfig = (config: object): string => tempProject({ ...app, 'ssot.config.jsonc': config });
  const group = (ssot: object) => ({ groups: [{ name: 'tools', ssot: { module: 'packages/api/src/new-tools.ts', ...ssot }, legacy: ['packages/api/src/old-tools.ts'] }] });

  it.each([
    ['an include glob that matches no file', { include: ['packages/api/src/**/*.ts', 'packages/web/src/**/*.ts'] }, 'include[1]', '"packages/web/src/**/*.ts" matches no file'],
    ['an SSOT export the module does not have', group({ export: 'NoSuchExport' }), 'groups[0].ssot.export', 'packages/api/src/new-tools.ts does not export "NoSuchExport"'],
    ['an SSOT factory the module does not have', group({ export: 'Tools', factory: 'makeTools' }), 'groups[0].ssot.factory', 'packages/api/src/new-tools.ts does not export "makeTools"'],
  ])('%s: exit 2 naming the file and key', async (_, config, key, message) => {
    const root = withConfig(config);
    const r = runCli(['scan', root, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ssot.config.jsonc: ${key}: ${message}`);
    await expect(scan({ root, cache: false })).rejects.toMatchObject({ constructor: ConfigError, key });
  });

  it('accepts exports through `export *` and re-exports, and does not judge what it cannot see', async () => {
    const root = tempProject({
      ...app,
      'ssot.config.jsonc': group({ module: 'packages/api/src/index.ts', export: 'Tools', factory: 'make' }),
      'packages/api/src/index.ts': "export * from './new-tools';\nexport { createTools as make } from './new-tools';\n",
    });
    await expect(scan({ root, cache: false })).resolves.toBeDefined();
    const outside = tempProject({
      ...app,
      'ssot.config.jsonc': group({ module: 'packages/api/src/index.ts', export: 'Whatever' }),
      'packages/api/src/index.ts': "export * from 'some-package';\n",
    });
    await expect(scan({ root: outside, cache: false })).resolves.toBeDefined();
  });
});

