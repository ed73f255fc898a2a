import path from 'node:path';
import fc from 'fast-check';
import jscodeshift from 'jscodeshift';
import type { API } from 'jscodeshift';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import transformer, { MARKER } from '../transforms/rewrite-imports.js';

/**
 * Property test for `rewrite-imports`: files mixing every import form of the legacy module with unrelated
 * imports, comments, blank lines and statements, in LF or CRLF, with or without BOM, quotes and semicolons.
 * The transform must leave parseable TypeScript, no legacy specifier, every line without a legacy reference
 * byte-identical and in order, and nothing to do on a second run.
 */
const dir = path.resolve('fixtures/transforms/rewrite-imports');
const filePath = path.join(dir, 'generated.ts'); // never written: only its folder matters for resolution
const options = {
  legacy: path.join(dir, 'src/tools/tool-dispatcher.ts'),
  ssot: path.join(dir, 'src/tools/request-scoped-tool-dispatcher.ts'),
  renames: JSON.stringify({ ToolDispatcher: 'RequestScopedToolDispatcher', createDispatcher: 'createRequestScopedDispatcher' }),
};
const api: API = { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} };
const LEGACY_REF = /tools\/tool-dispatcher['"`]/;

type Piece = (i: number, q: string, semi: string) => string;
const legacyForms: Piece[] = [
  (i, q, s) => `import { ToolDispatcher as td${i} } from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `import { type ToolCall as tc${i}, VERSION as v${i} } from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `import d${i} from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `import * as ns${i} from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `import type { ToolCall as t${i} } from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (_, q, s) => `import ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `export { createDispatcher as c${i} } from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (_, q, s) => `export * from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `export * as e${i} from ${q}./src/tools/tool-dispatcher${q}${s}`,
  (i, q, s) => `const r${i} = import(${q}./src/tools/tool-dispatcher${q})${s}`,
  (i, q, s) => `const q${i} = require(${q}./src/tools/tool-dispatcher${q})${s}`,
  (i, q, s) => `import eq${i} = require(${q}./src/tools/tool-dispatcher${q})${s}`,
  (i, q, s) => `type T${i} = typeof import(${q}./src/tools/tool-dispatcher${q})${s}`,
  (_, q, s) => `vi.mock(${q}./src/tools/tool-dispatcher${q})${s}`,
  (i, q, s) => `import { VERSION as w${i} } from ${q}./src/tools/tool-dispatcher${q}${s} // note ${i}`,
];
const otherForms: Piece[] = [
  (i, q, s) => `import { metrics as m${i} } from ${q}./src/tools/tool-dispatcher-metrics${q}${s}`,
  (i, q, s) => `import p${i} from ${q}node:path${q}${s}`,
  (i, q, s) => `const o${i} = require(${q}./tool-dispatcher-like${q})${s}`,
  (i) => `// comment ${i} about ./src/tools/tool-dispatcher-metrics`,
  (i) => `/* block ${i} */`,
  () => ``,
  (i, _, s) => `const s${i} = ${i}${s}`,
  (i) => `function f${i}() {\n  return ${i};\n}`,
];

const fileArb = fc.record({
  pieces: fc.array(
    fc.tuple(fc.boolean(), fc.nat(), fc.constantFrom("'", '"'), fc.constantFrom(';', '')),
    { minLength: 1, maxLength: 14 },
  ),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  plain: fc.boolean(),
});

// A non-aliased import whose locals get renamed; it can appear once, with one line that uses it.
const PLAIN_IMPORT = "import { ToolDispatcher, createDispatcher } from './src/tools/tool-dispatcher';";
const USE_BEFORE = 'export const use = [ToolDispatcher, createDispatcher];';
const USE_AFTER = 'export const use = [RequestScopedToolDispatcher, createRequestScopedDispatcher];';

type GenFile = { pieces: [boolean, number, string, string][]; eol: string; bom: boolean; plain: boolean };

function render(file: GenFile): string {
  const lines = file.pieces.map(([legacy, n, q, semi], i) => {
    const forms = legacy ? legacyForms : otherForms;
    return (forms[n % forms.length] as Piece)(i, q, semi);
  });
  if (file.plain) {
    lines.splice(Math.floor(lines.length / 2), 0, PLAIN_IMPORT);
    lines.push(USE_BEFORE);
  }
  return (file.bom ? '\uFEFF' : '') + lines.join('\n').split('\n').join(file.eol) + file.eol;
}

function parseDiagnostics(source: string): readonly unknown[] {
  const sf = ts.createSourceFile('generated.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return (sf as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics;
}

describe('rewrite-imports (property)', () => {
  it('rewrites every legacy reference and touches nothing else', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const input = render(file);
        const output = transformer({ path: filePath, source: input }, api, options) ?? input;
        expect(parseDiagnostics(output)).toEqual([]);
        expect(output).not.toMatch(LEGACY_REF);
        expect(output.startsWith('\uFEFF')).toBe(input.startsWith('\uFEFF'));
        // split on \n only, so a CR that went missing shows up as a changed line
        const kept = input.replace(/^\uFEFF/, '').split('\n').filter((l) => !LEGACY_REF.test(l)).map((l) => l.replace(USE_BEFORE, USE_AFTER));
        const after = output.replace(/^\uFEFF/, '').split('\n').filter((l) => !l.includes('request-scoped-tool-dispatcher') && !l.includes(MARKER));
        expect(after).toEqual(kept);
        expect(transformer({ path: filePath, source: output }, api, options)).toBeUndefined();
      }),
      { seed: 20261121, numRuns: 100 },
    );
  });
});
