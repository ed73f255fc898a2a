import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Found on excalidraw (issue 17, "Done when"): laser-pointer's state.ts reads `m.add`, `m.clamp`… through
 * `import * as m from "./math"`; with math/src/utils.ts (which has clamp, not add) as the SSOT, the namespace
 * import was pointed at the SSOT, since the scan lists a namespace import as '*' and no names.
 */
describe('ssot fix and a namespace import of a legacy module', () => {
  it('keeps `import * as ns` on the legacy module, marked, when the file reads a member the SSOT lacks; moves one that reads only members the SSOT has', () => {
    const state = 'import * as m from "./math";\n\nexport const step = (a: number, b: number): number => m.clamp(m.lerp(a, b, 0.5), 0, 1);\n';
    const only = 'import * as m from "./math";\n\nexport const bounded = (a: number): number => m.clamp(a, 0, 1);\n';
    const { root } = gitRepo({
      'ssot.config.json': { include: ['src/**/*.ts'], groups: [{ name: 'clamp', ssot: { module: 'src/utils.ts', export: 'clamp' }, legacy: ['src/math.ts'] }] },
      'src/utils.ts': 'export const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));\n',
      'src/math.ts': 'export const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));\nexport function lerp(a: number, b: number, t: number): number {\n  return a + (b - a) * t;\n}\n',
      'src/state.ts': state,
      'src/only.ts': only,
      // An export-star lists '*' as its local: no member to read (this threw 'Invalid regular expression' once).
      'src/barrel.ts': "export * from './math';\n",
    });
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('src/state.ts:1:1 fix manual migration needed: the SSOT does not export lerp: kept on ./math');
    expect(readFileSync(path.join(root, 'src/state.ts'), 'utf8')).toBe(`// ssot-kit: manual migration needed (the SSOT does not export lerp: kept on ./math)\n${state}`);
    expect(readFileSync(path.join(root, 'src/only.ts'), 'utf8')).toBe(only.replace('"./math"', '"./utils"'));
  });
});
