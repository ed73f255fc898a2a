import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Found on vite with the config `ssot init --yes` wrote (issue 17, "Done when"): a playground's vite.config.ts
 * holds a copy of promiseWithResolvers, init listed it as a legacy module, and since no file imports a
 * config file that vite loads by name, cleanup deleted all 63 lines of it. A type-check cannot see that.
 */
describe('ssot fix cleanup and a legacy module nothing imported', () => {
  it('keeps a legacy module no file imported before the run that is an entry point (a default export, a package.json export), and says why; removes one whose last importer it rewrote', () => {
    const { root, git } = gitRepo({
      'ssot.config.json': {
        include: ['**/*.ts'],
        groups: [{ name: 'resolvers', ssot: { module: 'src/shared/utils.ts', export: 'promiseWithResolvers' }, legacy: ['playground/vite.config.ts', 'playground/dep/nested/index.ts', 'src/old-utils.ts'] }],
      },
      'src/shared/utils.ts': 'export function promiseWithResolvers(): number {\n  return 1;\n}\n',
      'src/old-utils.ts': 'export function promiseWithResolvers(): number {\n  return 1;\n}\n',
      'src/app.ts': "import { promiseWithResolvers } from './old-utils';\nexport const n = promiseWithResolvers();\n",
      // A package's "./nested" export, loaded from a page (vite's playground/optimize-deps/dep-with-assets).
      'playground/dep/package.json': { name: 'dep', type: 'module', exports: { '.': './index.ts', './nested': './nested/index.ts' } },
      'playground/dep/nested/index.ts': 'export function promiseWithResolvers(): number {\n  return 2;\n}\n',
      'playground/vite.config.ts': 'function promiseWithResolvers(): number {\n  return 1;\n}\nexport default { plugins: [promiseWithResolvers()] };\n',
    });
    const r = runCli(['fix', root, '--no-cache']);
    const kept = "kept: no file imported it before this run, and its default export or its package.json says it is an entry point something loads by name (a config file, a page, a package export); delete it by hand if it is dead code";
    expect(r.stdout).toContain(`playground/vite.config.ts:1:1 fix skipped: ${kept}`);
    expect(r.stdout).toContain(`playground/dep/nested/index.ts:1:1 fix skipped: ${kept}`);
    expect(existsSync(path.join(root, 'playground/dep/nested/index.ts'))).toBe(true);
    expect(existsSync(path.join(root, 'playground/vite.config.ts'))).toBe(true);
    expect(existsSync(path.join(root, 'src/old-utils.ts'))).toBe(false);
    expect(git('status', '--porcelain', '--', 'playground')).toBe('');
    expect(r.code).toBe(0);
  });
});
