import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../src/scan/extract-facts.js';
import { extractFactsOxc, oxcAvailable, rawTransfer } from '../src/scan/extract-facts-oxc.js';
import { compareFacts } from '../src/scan/extract-parallel.js';
import { scan } from '../src/scan-api.js';

/**
 * The oxc-based extractor (SSOT_EXTRACTOR=oxc) must give the TypeScript-based one's facts, byte for
 * byte as they are cached. CI also runs the whole suite with SSOT_EXTRACTOR=check, which compares the
 * two on every file any test scans.
 */
const ROOT = path.resolve(__dirname, '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(e.name) && !/\.d\.(ts|mts|cts)$/.test(e.name)) out.push(p);
  }
  return out;
}

function compare(file: string, text: string): 'same' | 'fallback' {
  const oxc = extractFactsOxc(file, text, rawTransfer);
  if ('fallback' in oxc) return 'fallback';
  expect(JSON.stringify(oxc), file).toBe(JSON.stringify(extractFacts(file, text)));
  return 'same';
}

/** Constructs where the two ASTs differ in shape; each must still give the same facts. */
const SNIPPETS: Record<string, string> = {
  'imports.ts': "import 'side';\nimport {} from 'empty';\nimport d, * as ns from 'a';\nimport { type T, b as c, 'x-y' as xy } from 'b';\nimport type { U } from 'c';\nimport e = require('e');\nexport import f = ns.inner;\nimport type g = require('g');\nexport { c, d as default2 };\nexport type { T };\nexport * from 'star';\nexport type * as types from 'types';\nexport { h as i, type j } from 'h';\n",
  'declarations.ts': "export default class { m() {} }\nexport declare const k: ReadonlyMap<string, number>;\nexport const { l, m: [n, ...o] } = obj(), p = 1n, q = /re/g, r = null, s = `t`, u = `${q}`;\nexport enum E { A = 1, B }\nexport interface I extends J, ns.K {}\nexport type Alias = string;\ninterface Hidden {}\nexport { Hidden };\nexport function over(a: string): void;\nexport function over(a: unknown) {}\nlet counter = 0;\nexport const bump = () => counter++;\nconst list: readonly number[] = [];\nconst frozen = { a: 1 } as const;\nexport = counter;\n",
  'classes.tsx': "import { Base, mixin, Injectable, Inject } from './base';\n@Injectable()\nexport class A extends Base implements ns.I, J {\n  static instance?: A;\n  static readonly fixed = 1;\n  static count: A | null = new A();\n  #secret = 1;\n  private hidden = () => 1;\n  accessor acc = 2;\n  'quoted'() {}\n  42() {}\n  [computed]() {}\n  static getInstance() { return A.instance; }\n  static get shared() { return A.instance; }\n  constructor(@Inject() private readonly dep: Dep, public other = 1) { super(); }\n  setDep(dep: Dep, ...rest: Dep[]) { this.dep2 = dep; const f = () => { this.x = dep; }; }\n  set target(v: unknown) { this.#sink = v; }\n  handle = function () {};\n  render() { return <Foo.Bar baz={qux} {...spread}><ns:tag /></Foo.Bar>; }\n}\nexport const B = class Named extends mixin(Base) {};\nexport default (class {});\n",
  'uses.ts': "import { make, Store, list } from './store';\nimport type { Only } from './types';\nimport { typeOnlyUse, valueUse } from './v';\nconst store = new Store();\nconst made = make?.();\nconst lazy = import(`./lazy`);\nconst req = require('./req'), { a, b: c2, ...others } = require('./destructured');\nrequire.resolve('./resolved');\nvi.mock('./mocked', () => ({}));\njest.requireActual('./actual');\nlet t: typeof import('./typed').Thing.Deep;\nfunction f(x: typeOnlyUse): Only { list.push(1); store.items[0] = 1; delete store.map; (store).n += 1; !made; -store; return valueUse; }\nconst obj = { m() { return new Store(); }, get g() { return 1; }, h: () => make(), i: 1, ...rest, make };\nlabel: for (const x of list) { if (x) break label; }\nexport const v = <T extends Only>(y: T) => y satisfies Only;\nconst nn = store!.items as unknown as Only;\nconst registry: Record<string, number> = {};\ndelete registry.x;\nconst keyed = { [make()]() {}, get [list.pop()!]() { return 1; } };\n",
};

describe.skipIf(!oxcAvailable)('the oxc extractor agrees with the TypeScript one', () => {
  it('on every TypeScript file of the repository: fixtures, sources and tests', () => {
    const files = [...sources(path.join(ROOT, 'fixtures')), ...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'test'))];
    const counts = { same: 0, fallback: 0 };
    for (const file of files) {
      let text = readFileSync(file, 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      counts[compare(file, text)]++;
    }
    expect(files.length).toBeGreaterThan(300);
    // Files with parse errors and JSDoc `import()` types go to TypeScript; every other file is compared.
    expect(counts.same).toBeGreaterThan(files.length * 0.9);
  });

  it.each(Object.entries(SNIPPETS))('on %s, with CRLF line ends and non-ASCII text too', (name, text) => {
    expect(compare(`/virtual/${name}`, text)).toBe('same');
    expect(compare(`/virtual/crlf-${name}`, `// é 😀\r\n${text.replace(/\n/g, '\r\n')}`)).toBe('same');
  });

  it('hands files with parse errors or JSDoc import() types to TypeScript', () => {
    expect(extractFactsOxc('/virtual/broken.ts', 'export const = ;\n', rawTransfer)).toEqual({ fallback: 'parse-error' });
    expect(extractFactsOxc('/virtual/jsdoc.ts', "/** @type {import('./x').T} */\nexport const y = 1;\n", rawTransfer)).toEqual({ fallback: 'jsdoc-import' });
    expect(extractFactsOxc('/virtual/jsdoc2.ts', "/**\n * @param {string} a\n * @returns {Promise<{ m: import('./m').M }>}\n */\nexport function f(a) {}\n", rawTransfer)).toEqual({ fallback: 'jsdoc-import' });
    // import() in prose, in a comment that is not JSDoc, or before any brace: TypeScript reads no type there.
    expect(compare('/virtual/prose.ts', "/**\n * Use this instead of await import() or require().\n * @param {string} path\n */\nexport function load(path: string) { return require(path); }\n")).toBe('same');
    expect(compare('/virtual/line.ts', "// @type {import('./x').T}\n/* {import('./y').T} */\nexport const z = 1;\n")).toBe('same');
  });

  it('gives the same scan result through SSOT_EXTRACTOR=oxc as through TypeScript, on the bundled fixture', async () => {
    const root = path.join(ROOT, 'fixtures/legacy-app');
    const previous = process.env.SSOT_EXTRACTOR;
    try {
      process.env.SSOT_EXTRACTOR = 'oxc';
      const viaOxc = await scan({ root, cache: false });
      process.env.SSOT_EXTRACTOR = 'typescript';
      const viaTs = await scan({ root, cache: false });
      expect(viaOxc.findings.length).toBeGreaterThan(70);
      expect(JSON.stringify(viaOxc.findings)).toBe(JSON.stringify(viaTs.findings));
    } finally {
      if (previous === undefined) delete process.env.SSOT_EXTRACTOR;
      else process.env.SSOT_EXTRACTOR = previous;
    }
  });

  it('check mode scans with both and names the file and the first difference when they disagree', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssot-agree-'));
    const previous = process.env.SSOT_EXTRACTOR;
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = new b.B();\n");
      writeFileSync(path.join(dir, 'b.ts'), 'export class B {}\n');
      process.env.SSOT_EXTRACTOR = 'check';
      const result = await scan({ root: dir, cache: false });
      expect(result.coverage.parsed).toBe(2);
      const ts = extractFacts('/x/a.ts', 'export const a = 1;\n');
      expect(() => compareFacts('/x/a.ts', { ...ts, uses: [{ kind: 'call', callee: 'f', moduleLevel: true, loc: { line: 1, column: 1, endLine: 1, endColumn: 2 } }] }, ts)).toThrow(/disagree on \/x\/a\.ts at character \d+/);
    } finally {
      if (previous === undefined) delete process.env.SSOT_EXTRACTOR;
      else process.env.SSOT_EXTRACTOR = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
