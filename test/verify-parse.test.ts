import { describe, expect, it } from 'vitest';
import { parseTscOutput } from '../src/fix/verify.js';

/** How `ssot fix --verify` reads `tsc --pretty false` (and `tsc -b`) output. */
describe('parseTscOutput', () => {
  it('reads file diagnostics, their indented continuation lines, and file-less ones without repeating "error TSn:"', () => {
    // tsc -b on typescript-eslint: a global TS5055 was listed as ":0:0 TS5055 error TS5055: Cannot write file …".
    const output = [
      "src/view.ts(2,45): error TS2339: Property 'legacyOnly' does not exist on type 'Tools'.",
      "src/app.ts(1,10): error TS2322: Type 'string' is not assignable to type 'number'.",
      '  The expected type comes from here.',
      "error TS5055: Cannot write file '/repo/packages/utils/dist/index.d.ts' because it would overwrite input file.",
    ].join('\n');
    expect(parseTscOutput(output, '/repo/packages/web', '/repo')).toEqual([
      { file: 'packages/web/src/view.ts', line: 2, column: 45, code: 'TS2339', message: "Property 'legacyOnly' does not exist on type 'Tools'." },
      { file: 'packages/web/src/app.ts', line: 1, column: 10, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'. The expected type comes from here." },
      { file: '', line: 0, column: 0, code: 'TS5055', message: "Cannot write file '/repo/packages/utils/dist/index.d.ts' because it would overwrite input file." },
    ]);
  });
});
