import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { extractFacts } from '../src/scan/extract-facts.js';
import { NESTING_LIMIT } from '../src/scan/nesting-depth.js';
import type { FileFacts } from '../src/types.js';
import { runCli } from './helpers/run-cli.js';

/**
 * One hostile file (nesting deeper than the parser's stack) costs a parse-error finding for that file,
 * never the run: before, a 2,500-term concatenation or 5,000 nested template literals threw
 * "Maximum call stack size exceeded" (exit 1, no report), and 10,000 nested parentheses crashed the
 * native oxc parser ssot-kit also used then (SIGSEGV, exit 139).
 */

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

const CONFIG = {
  groups: [{ name: 'dispatcher', ssot: { module: 'src/new-dispatcher.ts', export: 'NewDispatcher' }, legacy: ['src/old-dispatcher.ts'], role: ['*Dispatcher'] }],
};

/** A small project with a legacy import in `consumer.ts`, plus the given files. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ssot-hostile-'));
  temp.push(root);
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'ssot.config.json'), JSON.stringify(CONFIG));
  writeFileSync(path.join(root, 'src/new-dispatcher.ts'), 'export class NewDispatcher {}\n');
  writeFileSync(path.join(root, 'src/old-dispatcher.ts'), 'export class OldDispatcher {}\n');
  writeFileSync(path.join(root, 'src/consumer.ts'), "import { OldDispatcher } from './old-dispatcher';\nexport const d = new OldDispatcher();\n");
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(root, rel), text);
  return root;
}

const templates = (n: number): string => {
  let t = '1';
  for (let i = 0; i < n; i++) t = '`${' + t + '}`';
  return t;
};

/** The shapes measured in the issue; each file also imports the legacy module, so a finding shows whether it was analysed. */
const SHAPES: Record<string, { text: string; analysed: boolean }> = {
  // TypeScript's parser takes it (a left-deep chain); only the facts walk recursed on it.
  'concat-2500': { text: `const s = ${Array(2500).fill('"a"').join(' + ')};\n`, analysed: true },
  'templates-5000': { text: `const t = ${templates(5000)};\n`, analysed: false },
  'parens-10000': { text: `const p = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\n`, analysed: false },
};

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

function scanJson(root: string, env: Record<string, string>): { code: number; findings: Finding[]; stderr: string } {
  const run = runCli(['scan', root, '--format', 'json', '--no-cache', '--threads', '2'], process.cwd(), env);
  let findings: Finding[] = [];
  try {
    findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  } catch {
    /* no report: the assertions below say so */
  }
  return { code: run.code, findings, stderr: run.stderr };
}

const key = (f: Finding): string => `${f.ruleId} ${f.file}:${f.line} ${f.message}`;

describe('a hostile file costs a parse-error finding, not the run', () => {
  // Workers too: the threshold at 0 makes every run parse on a worker thread beside the main thread.
  const threading: Record<string, Record<string, string>> = {
    'main thread': {},
    workers: { SSOT_PARALLEL_MIN_BYTES: '0' },
  };
  const header = "import { OldDispatcher } from './old-dispatcher';\nexport const h = OldDispatcher;\n";
  for (const [threads, env] of Object.entries(threading)) {
    it.each(Object.keys(SHAPES))(`%s (${threads})`, (shape) => {
      const { text, analysed } = SHAPES[shape]!;
      const rel = `src/${shape}.ts`;
      const root = project({ [rel]: `${header}${text}` });
      // What every other file's findings must be: with the file reduced to its import when it is
      // analysed (it is a consumer), without it when it is not.
      const before = scanJson(project(analysed ? { [rel]: header } : {}), env);
      const run = scanJson(root, env);
      expect(run.code, run.stderr).toBe(1);
      expect(run.findings.length).toBeGreaterThan(0);
      const own = run.findings.filter((f) => f.file === rel);
      if (analysed) {
        expect(own.map((f) => f.ruleId)).toContain('legacy-import');
        expect(own.map((f) => f.ruleId)).not.toContain('parse-error');
      } else {
        expect(own).toEqual([expect.objectContaining({ ruleId: 'parse-error', file: rel, message: expect.stringContaining(`nesting too deep to analyse (over ${NESTING_LIMIT} levels)`) })]);
      }
      // Every other file's findings are exactly those of the same project without the hostile file.
      const others = (findings: Finding[]): string[] => findings.filter((f) => f.file !== rel).map(key);
      expect(others(run.findings)).toEqual(others(before.findings));
      expect(before.findings.map((f) => `${f.ruleId} ${f.file}`)).toContain('legacy-import src/consumer.ts');
    });
  }
});

// --- fuzz: random deep nesting of every syntax form ---------------------------------------------

/** Expression forms: each wraps the expression `e` once more. */
const EXPRESSION_FORMS: ((e: string) => string)[] = [
  (e) => `(${e})`,
  (e) => `[${e}]`,
  (e) => `{ a: ${e} }`,
  (e) => `f(${e})`,
  (e) => '`${' + e + '}`',
  (e) => `${e} + 1`, // left-deep binary chain
  (e) => `1 ** ${e}`, // right-deep
  (e) => `() => ${e}`,
  (e) => `c ? 1 : ${e}`,
  (e) => `!${e}`,
  (e) => `${e}.m()`, // call chain
  (e) => `<a>{${e}}</a>`, // JSX: only in .tsx files
];
const JSX_FORM = EXPRESSION_FORMS.length - 1;

/** Type forms: each wraps the type `t` once more. */
const TYPE_FORMS: ((t: string) => string)[] = [
  (t) => `A extends B ? ${t} : C`, // conditional types
  (t) => `Array<${t}>`,
  (t) => `{ a: ${t} }`,
  (t) => `[${t}]`,
  (t) => `${t} | A`,
];

/** `depth` levels of the forms in `pattern`, repeated, around a use of an imported name. */
function nested(forms: ((s: string) => string)[], pattern: number[], depth: number, leaf: string): string {
  let s = leaf;
  for (let i = 0; i < depth; i++) s = forms[pattern[i % pattern.length]!]!(s);
  return s;
}

const NORMAL = "import { make } from './factory';\nexport const made = make();\n";

describe('the extractor never throws and never crashes on deep nesting', () => {
  const normalFacts = JSON.stringify(extractFacts('/fuzz/normal.ts', NORMAL));

  it('random nesting of parens, arrays, objects, calls, templates, binary chains, arrows, JSX and conditional types', () => {
    const program = fc.record({
      expressionPattern: fc.array(fc.nat(EXPRESSION_FORMS.length - 1), { minLength: 1, maxLength: 4 }),
      expressionDepth: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 300, max: 12_000 })),
      typePattern: fc.array(fc.nat(TYPE_FORMS.length - 1), { minLength: 1, maxLength: 3 }),
      typeDepth: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 300, max: 8_000 })),
    });
    fc.assert(
      fc.property(program, ({ expressionPattern, expressionDepth, typePattern, typeDepth }) => {
        const jsx = expressionPattern.includes(JSX_FORM);
        const file = jsx ? '/fuzz/deep.tsx' : '/fuzz/deep.ts';
        const text = `import { make } from './factory';\nconst x: ${nested(TYPE_FORMS, typePattern, typeDepth, 'T')} = ${nested(EXPRESSION_FORMS, expressionPattern, expressionDepth, 'make()')};\n`;
        let ts: FileFacts | undefined;
        expect(() => (ts = extractFacts(file, text))).not.toThrow();
        // Either analysed (the use of `make` is seen) or a parse error (a form can make invalid syntax); nothing in between.
        if (ts!.parseError) {
          expect(ts!.refs).toEqual([]);
          // Where the parser ran out of stack, the nesting scan found the place.
          if (ts!.parseError.message.startsWith('nesting too deep')) expect(ts!.parseError.message).toContain(`over ${NESTING_LIMIT} levels`);
        }
        else expect(ts!.uses.map((u) => u.callee)).toContain('make');
        // A parser that ran out of stack leaves nothing behind for the next file.
        expect(JSON.stringify(extractFacts('/fuzz/normal.ts', NORMAL))).toBe(normalFacts);
      }),
      { seed: 20_240_611, numRuns: 120 },
    );
  });
});
