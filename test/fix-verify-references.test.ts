import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Issue 17, "Done when": a project that references another reads that project's files from its built
 * declarations, which `tsc -p` does not rebuild. Found on typescript-eslint (every package composite, each
 * package importing the others through their dist): a rewrite in one package was checked in its dependents
 * against the old outputs, "0 type errors before, 0 after", while the repository's own `tsc -b` failed.
 */
const compilerOptions = { target: 'ES2022', module: 'preserve', moduleResolution: 'bundler', strict: true, lib: ['ES2022'], types: [], composite: true, outDir: 'dist', rootDir: 'src' };
const tsc = path.resolve('node_modules/.bin/tsc');

describe('ssot fix --verify with project references', () => {
  it('checks a referencing project with tsc -b, so a change in the referenced one is seen through its rebuilt declarations', { timeout: 180_000 }, () => {
    const { root, git } = gitRepo({
      '.gitignore': 'node_modules\ndist\n*.tsbuildinfo\n',
      'ssot.config.json': {
        include: ['**/*.ts'],
        groups: [{ name: 'tools', ssot: { module: 'packages/api/src/tools/new-tools.ts', export: 'Tools' }, legacy: [{ module: 'packages/api/src/tools/old-tools.ts', renames: { OldTools: 'Tools' } }], allow: ['packages/api/src/keep.ts'] }],
      },
      'packages/api/tsconfig.json': { compilerOptions, include: ['src'] },
      'packages/api/src/tools/new-tools.ts': 'export class Tools {\n  run(): number {\n    return 1;\n  }\n}\n',
      'packages/api/src/tools/old-tools.ts': 'export class OldTools {\n  run(): number {\n    return 1;\n  }\n  legacyOnly(): number {\n    return 2;\n  }\n}\n',
      'packages/api/src/index.ts': "export { OldTools } from './tools/old-tools';\n",
      'packages/api/src/keep.ts': "import { OldTools } from './tools/old-tools';\nexport const kept = new OldTools();\n",
      'packages/web/tsconfig.json': { compilerOptions, include: ['src'], references: [{ path: '../api' }] },
      'packages/web/src/view.ts': "import { OldTools } from '../../api/src/index';\nexport const value: number = new OldTools().legacyOnly();\n",
      'node_modules/.bin/tsc': `#!/bin/sh\nexec ${tsc} "$@"\n`,
    });
    chmodSync(path.join(root, 'node_modules/.bin/tsc'), 0o755);
    // Built once, as a developer's tree is: web's tsc -p reads api's dist/index.d.ts.
    execFileSync(tsc, ['-b', 'packages/web'], { cwd: root });

    const r = runCli(['fix', root, '--no-cache', '--verify']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^verified packages\/web\/tsconfig.json with node_modules\/.bin\/tsc \([\d.]+\) -b: 0 type errors before, 0 after; changed files it covers: none \(it holds files importing them\)$/m);
    expect(r.stdout).toContain("packages/api/src/index.ts: rolled back: packages/web/src/view.ts:2:45 TS2339 Property 'legacyOnly' does not exist on type 'Tools'.");
    expect(r.code).toBe(1);
    expect(git('status', '--porcelain')).toBe('');
    // The repository's own check passes after the run (before this change: exit 0, and this failed with TS2339).
    expect(() => execFileSync(tsc, ['-b', 'packages/web', '--pretty', 'false'], { cwd: root, encoding: 'utf8' })).not.toThrow();
    expect(readFileSync(path.join(root, 'packages/api/src/index.ts'), 'utf8')).toBe("export { OldTools } from './tools/old-tools';\n");
  });
});
