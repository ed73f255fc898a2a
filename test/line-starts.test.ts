import fc from 'fast-check';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { extractFacts, lineStarts } from '../src/scan/extract-facts.js';

describe('positions', () => {
  it('line starts agree with TypeScript for any mix of CR, LF, CR LF, U+2028 and U+2029', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '\u2028', '\u2029', 'é') }), (text) => {
        const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest);
        expect(lineStarts(text)).toEqual([...sf.getLineStarts()]);
      }),
      { numRuns: 2000 },
    );
  });

  it('facts carry the line and column TypeScript gives, on LF and on CR LF text, with JSDoc skipped or parsed', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      for (const jsDocImport of [false, true]) {
        const lines = ['/** @see x */', "import { A } from './a';", jsDocImport ? '/** @type {import("./b").B} */' : '/** @type {B} */', 'export const b = new A();', 'export class C { run() { return new A(); } }', ''];
        const text = lines.join(eol);
        const facts = extractFacts('/x/m.ts', text);
        const sf = ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true);
        const at = (needle: string, from = 0): { line: number; column: number } => {
          const p = sf.getLineAndCharacterOfPosition(text.indexOf(needle, from));
          return { line: p.line + 1, column: p.character + 1 };
        };
        const a = facts.refs.find((r) => r.specifier === './a')!;
        expect({ line: a.loc.line, column: a.loc.column }).toEqual(at("'./a'"));
        const news = facts.uses.filter((u) => u.kind === 'new');
        expect(news.map((u) => ({ line: u.loc.line, column: u.loc.column }))).toEqual([at('new A()'), at('new A()', text.indexOf('run()'))]);
        // JSDoc is parsed only when the text has `import(`, and then its import() types are found.
        expect(facts.refs.some((r) => r.specifier === './b' && r.kind === 'jsdoc-import')).toBe(jsDocImport);
      }
    }
  });
});
