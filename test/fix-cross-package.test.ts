import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Found on vite and typescript-eslint (issue 17, "Done when"): a consumer in one workspace package was
 * pointed at an SSOT in another by a relative path ('../../b/src/format'), outside the package's rootDir and
 * its published build (tsc: TS6059, TS6307; every such rewrite rolled back on typescript-eslint). Across
 * packages the SSOT is imported by the package name some file already resolves to it, or left for a person.
 */
const files = (extra: Record<string, string | object>): Record<string, string | object> => ({
  'package.json': { name: 'root', private: true, workspaces: ['packages/*'] },
  'ssot.config.json': {
    include: ['packages/**/*.ts'],
    groups: [{ name: 'format', ssot: { module: 'packages/b/src/format.ts', export: 'format' }, legacy: ['packages/a/src/old-format.ts'] }],
  },
  'packages/b/package.json': { name: '@ws/b', type: 'module', exports: { '.': './src/format.ts' } },
  'packages/b/src/format.ts': 'export function format(n: number): string {\n  return String(n);\n}\n',
  'packages/a/package.json': { name: '@ws/a', type: 'module' },
  'packages/a/src/old-format.ts': 'export function format(n: number): string {\n  return `${n}`;\n}\n',
  'packages/a/src/app.ts': "import { format } from './old-format';\nexport const s = format(1);\n",
  ...extra,
});

describe('ssot fix across workspace packages', () => {
  it('imports an SSOT in another package by the package name a file of the repository already uses for it', () => {
    const { root } = gitRepo(files({ 'packages/c/package.json': { name: '@ws/c', type: 'module' }, 'packages/c/src/use.ts': "import { format } from '@ws/b';\nexport const t = format(2);\n" }));
    const r = runCli(['fix', root, '--no-cache']);
    expect(readFileSync(path.join(root, 'packages/a/src/app.ts'), 'utf8')).toBe("import { format } from '@ws/b';\nexport const s = format(1);\n");
    // Nothing imports the legacy module any more: it is removed, no facade into another package is written.
    expect(r.stdout).not.toContain('../b/');
    expect(r.code).toBe(0);
  });

  it('leaves a consumer on the legacy module, and says why, when no file imports the SSOT by its package name', () => {
    const { root, git } = gitRepo(files({}));
    const r = runCli(['fix', root, '--no-cache']);
    const why = "skipped: left on the legacy module: the SSOT is in workspace package @ws/b, and no file imports it by that package's name";
    // The consumer is not pointed at '../../b/src/format', and its legacy module does not become a facade re-exporting it from there.
    expect(r.stdout).toContain(`packages/a/src/app.ts:1:24 legacy-import ${why}`);
    expect(r.stdout).toMatch(new RegExp(`packages/a/src/old-format\\.ts:1:1 \\S+ ${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(git('status', '--porcelain', '--', 'packages')).toBe('');
  });
});
