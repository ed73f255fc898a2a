import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('import-cycle', {
  valid: [
    { name: 'a DAG', files: { 'src/a.ts': "import { b } from './b';\nexport const a = b;\n", 'src/b.ts': "import { c } from './c';\nexport const b = c;\n", 'src/c.ts': 'export const c = 1;\n' } },
    { name: 'mocks and require.resolve are not edges', files: { 'src/a.test.ts': "vi.mock('./b');\nexport const a = 1;\n", 'src/b.ts': "export const where = require.resolve('./a.test');\n" } },
  ],
  invalid: [
    {
      name: 'a runtime cycle of two modules, once',
      files: { 'src/a.ts': "import { b } from './b';\nexport const a = () => b;\n", 'src/b.ts': "import { a } from './a';\nexport const b = () => a;\n" },
      errors: [
        {
          messageId: 'runtimeCycle',
          file: 'src/a.ts',
          line: 1,
          column: 19,
          endLine: 1,
          endColumn: 24,
          severity: 'error',
          data: { size: 2, path: 'src/a.ts → src/b.ts → src/a.ts', cutSize: 1 },
          message: 'Import cycle of 2 modules: src/a.ts → src/b.ts → src/a.ts. Cut src/b.ts → src/a.ts.',
        },
      ],
    },
    {
      name: 'one finding per strongly connected component, with the shortest concrete path',
      files: {
        'src/a.ts': "import { b } from './b';\nimport { d } from './d';\nexport const a = () => b() + d();\n",
        'src/b.ts': "import { c } from './c';\nexport const b = () => c();\n",
        'src/c.ts': "import { a } from './a';\nexport const c = () => a();\n",
        'src/d.ts': "import { a } from './a';\nexport const d = () => a();\n",
        'src/x.ts': "import { y } from './y';\nexport const x = () => y;\n",
        'src/y.ts': "export * from './x';\nexport const y = 1;\n",
      },
      errors: [
        { messageId: 'runtimeCycle', file: 'src/a.ts', line: 2, column: 19, endLine: 2, endColumn: 24, data: { size: 4, path: 'src/a.ts → src/d.ts → src/a.ts', cutSize: 2 } },
        { messageId: 'runtimeCycle', file: 'src/x.ts', line: 1, column: 19, endLine: 1, endColumn: 24, data: { size: 2, path: 'src/x.ts → src/y.ts → src/x.ts' } },
      ],
    },
    {
      name: 'type-only and dynamic cycles are told apart (info)',
      files: {
        'src/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
        'src/b.ts': "import { type A } from './a';\nexport interface B { a?: A }\n",
        'src/lazy-a.ts': "export async function load() { return (await import('./lazy-b')).b; }\n",
        'src/lazy-b.ts': "import { load } from './lazy-a';\nexport const b = load;\n",
      },
      errors: [
        { messageId: 'typeOnlyCycle', file: 'src/a.ts', line: 1, column: 24, endLine: 1, endColumn: 29, severity: 'info', message: 'Type-only import cycle of 2 modules (erased at run time): src/a.ts → src/b.ts → src/a.ts.' },
        { messageId: 'dynamicCycle', file: 'src/lazy-a.ts', line: 1, column: 53, endLine: 1, endColumn: 63, severity: 'info', message: 'Import cycle of 2 modules that closes only through dynamic import(): src/lazy-a.ts → src/lazy-b.ts → src/lazy-a.ts.' },
      ],
    },
    {
      name: 'a runtime cycle is located at the runtime import, not at an `import type` of the same module above it',
      files: {
        'src/a.ts': "import type { Shape } from './b';\nimport { b } from './b';\nexport const a = (s?: Shape) => b(s);\n",
        'src/b.ts': "import { a } from './a';\nexport interface Shape { n: number }\nexport const b = (_?: Shape) => a;\n",
      },
      errors: [{ messageId: 'runtimeCycle', file: 'src/a.ts', line: 2, column: 19, endLine: 2, endColumn: 24, data: { size: 2 } }],
    },
    {
      name: 'an `import type` beside an import of interfaces on one edge does not stop the `import type` advice',
      files: {
        'src/a.ts': "import { run } from './b';\nexport interface Config { x: number }\nexport interface Options { y: number }\nexport const a = () => run();\n",
        'src/b.ts': "import type { Config } from './a';\nimport { Options } from './a';\nexport const run = (c?: Config, o?: Options) => [c, o];\n",
      },
      errors: [
        {
          messageId: 'runtimeCycle',
          file: 'src/a.ts',
          line: 1,
          column: 21,
          endLine: 1,
          endColumn: 26,
          data: { cutSize: 1, cut: 'src/b.ts → src/a.ts (only types are imported: make it `import type`)' },
        },
      ],
    },
    {
      name: 'advises `import type` for an edge that imports only types or classes used as types',
      files: {
        'src/service.ts': "import { Repo } from './repo';\nexport class Service { constructor(private repo: Repo) {} run() { return this.repo; } }\n",
        'src/repo.ts': "import { Service } from './service';\nexport class Repo { owner?: Service }\nexport const make = () => new Repo();\n",
      },
      errors: [{ messageId: 'runtimeCycle', file: 'src/repo.ts', line: 1, column: 25, endLine: 1, endColumn: 36, data: { cutSize: 1, cut: 'src/service.ts → src/repo.ts (only types are imported: make it `import type`)' } }],
    },
  ],
});
