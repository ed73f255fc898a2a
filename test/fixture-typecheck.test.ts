import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The fixture must type-check standalone, with TypeScript's standard library only, so it can be copied anywhere. */
describe('fixtures/legacy-app', () => {
  it('type-checks with tsc --noEmit', () => {
    const tsc = path.resolve('node_modules/.bin/tsc');
    const r = spawnSync(tsc, ['-p', 'fixtures/legacy-app/tsconfig.json', '--noEmit'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
