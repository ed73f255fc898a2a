import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, scan, scanProject } from '../src/index.js';
import { gitRepo } from './helpers/git-repo.js';
import { tempProject, writeFiles } from './helpers/temp-project.js';

describe('file selection and robustness', () => {
  it('skips binary and huge files with a note and counts them; parses non-UTF-8 text as tsc reads it', async () => {
    const root = tempProject({ 'src/ok.ts': 'export const ok = 1;\n' });
    writeFiles(root, {
      'src/binary.ts': Buffer.from([0x65, 0x78, 0x00, 0x01, 0x02]),
      'src/latin1.ts': Buffer.from('export const cafe = "caf\xe9";\n', 'latin1'),
      'src/huge.ts': `export const big = "${'x'.repeat(2 * 1024 * 1024 + 10)}";\n`,
    });
    const result = await scan({ root, cache: false });
    expect(result.coverage).toEqual({
      files: 4,
      parsed: 2,
      cached: 0,
      failed: 0,
      skipped: [
        { file: 'src/binary.ts', reason: 'binary', detail: 'binary content (NUL and control bytes)' },
        { file: 'src/huge.ts', reason: 'too-large', detail: expect.stringContaining('bytes') },
      ],
    });
  });

  it('terminates on symlink loops and follows symlinked folders once', async () => {
    const root = tempProject({ 'src/a.ts': 'export const a = 1;\n' });
    symlinkSync(path.join(root, 'src'), path.join(root, 'src', 'loop'));
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', 'b.ts'), 'export const b = 2;\n');
    symlinkSync(path.join(root, 'outside'), path.join(root, 'linked'));
    const result = await scan({ root, cache: false });
    expect(result.coverage.files).toBe(2);
  });

  it('skips node_modules and .gitignored paths by default', async () => {
    const root = tempProject({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/a.gen.ts': 'export const g = 1;\n',
      'generated/b.ts': 'export const b = 1;\n',
      'node_modules/pkg/index.ts': 'export const p = 1;\n',
      'packages/x/.gitignore': 'local.ts\n',
      'packages/x/local.ts': 'export const l = 1;\n',
      'packages/x/kept.ts': 'export const k = 1;\n',
    });
    expect((await scan({ root, cache: false })).coverage.files).toBe(2);
    expect((await scan({ root, cache: false, gitignore: false })).coverage.files).toBe(5);
  });

  it('resolves into folders the walk skipped: gitignored, built output, links to files; a missing folder stays unresolved', async () => {
    const root = tempProject({
      '.gitignore': 'generated/\nvendor/\n',
      'generated/api/client.ts': 'export const client = 1;\n',
      'generated/api/index.ts': "export * from './client';\n",
      'store/impl.ts': 'export const impl = 1;\n',
      'src/a.ts': [
        "import { client } from '../generated/api/client.js';",
        "import * as api from '../generated/api';",
        "import { impl } from '../vendor/linked';",
        "import { gone } from '../missing/deeper/gone';",
        "import { also } from '../missing/deeper/also';",
        'export const all = [client, api, impl, gone, also];',
        '',
      ].join('\n'),
    });
    mkdirSync(path.join(root, 'vendor'));
    symlinkSync(path.join(root, 'store', 'impl.ts'), path.join(root, 'vendor', 'linked.ts'));
    const project = await scanProject({ root, cache: false });
    const targets = project.refs.get('src/a.ts')!.map((r) => r.target ?? r.targetAbs ?? r.external ?? null);
    // Files outside the scan are named by absolute path.
    expect(targets).toEqual([...['generated/api/client.ts', 'generated/api/index.ts', 'vendor/linked.ts'].map((f) => path.join(root, f)), null, null]);
    expect(project.files.has('generated/api/client.ts')).toBe(false);
  });

  it('honours include and exclude from the config', async () => {
    const root = tempProject({
      'ssot.config.json': { include: ['src/**/*.ts'], exclude: ['**/*.stories.ts'] },
      'src/a.ts': 'export const a = 1;\n',
      'src/a.stories.ts': 'export const s = 1;\n',
      'scripts/build.ts': 'export const b = 1;\n',
    });
    expect((await scan({ root, cache: false })).coverage.files).toBe(1);
  });

  it('reuses cached facts by content hash and re-parses only what changed', async () => {
    const root = tempProject({ 'src/a.ts': "import { b } from './b';\nexport const a = b;\n", 'src/b.ts': "import { a } from './a';\nexport const b = a;\n" });
    const first = await scan({ root });
    expect(first.coverage).toMatchObject({ parsed: 2, cached: 0 });
    const second = await scan({ root });
    expect(second.coverage).toMatchObject({ parsed: 2, cached: 2 });
    expect(second.findings).toEqual(first.findings);
    writeFileSync(path.join(root, 'src/b.ts'), 'export const b = 1;\n');
    const third = await scan({ root });
    expect(third.coverage).toMatchObject({ parsed: 2, cached: 1 });
    expect(third.findings).toEqual([]);
  });
});

describe('errors', () => {
  it('a missing root is a ConfigError', async () => {
    await expect(scan({ root: '/nonexistent/ssot-root', cache: false })).rejects.toThrow(ConfigError);
  });

  it.each([
    [{ groups: [{ name: 'g' }] }, 'groups[0]', "must have required property 'ssot'"],
    [{ groups: [{ name: 'g', ssot: { module: 'src/missing.ts' } }] }, 'groups[0].ssot.module', 'no such file: src/missing.ts'],
    [{ groups: [{ name: 'g', ssot: { module: 'src/a.ts' }, legacy: ['src/gone.ts'] }] }, 'groups[0].legacy[0]', 'no such file or folder: src/gone.ts'],
    [{ grups: [] }, '', 'unknown key "grups"'],
    [{ rules: { 'legacy-imports': 'off' } }, 'rules.legacy-imports', 'unknown rule "legacy-imports"'],
    [{ rules: { 'import-cycle': 'fatal' } }, 'rules.import-cycle', 'must be equal to one of the allowed values'],
    [{ rules: { 'shared-state': { options: { scope: 'everything' } } } }, 'rules.shared-state.options', 'must be equal to one of the allowed values'],
    [{ tsconfig: 'tsconfig.missing.json' }, 'tsconfig', 'no such file'],
  ])('config %j names the file and key %s', async (config, key, message) => {
    const root = tempProject({ 'ssot.config.json': config, 'src/a.ts': 'export const a = 1;\n' });
    const error = await scan({ root, cache: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.file).toMatch(/ssot\.config\.json$/);
    if (key) expect(e.key).toBe(key);
    expect(e.message).toContain(message);
  });

  it('reads JSON with comments in the config', async () => {
    const root = tempProject({ 'ssot.config.json': '{\n  // comment\n  "include": ["src/**/*.ts"],\n}\n', 'src/a.ts': 'export const a = 1;\n' });
    expect((await scan({ root, cache: false })).coverage.files).toBe(1);
  });
});

describe('a folder the repository ignores, scanned by name', () => {
  it('is scanned: the rules above it that ignore it do not apply (before: Scanned 0 files)', async () => {
    const { root } = gitRepo({ '.gitignore': 'corpora/\n*.gen.ts\n', 'src/a.ts': 'export const a = 1;\n' });
    writeFiles(root, { 'corpora/big/src/b.ts': 'export const b = 1;\n', 'corpora/big/src/c.gen.ts': 'export const c = 1;\n' });
    expect((await scan({ root, cache: false })).coverage.files).toBe(1);
    const named = await scan({ root: path.join(root, 'corpora/big'), cache: false });
    expect(named.coverage.files).toBe(2);
  });
});
