import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('parse-error', {
  valid: [{ name: 'valid TypeScript and TSX', files: { 'src/a.ts': 'export const a = <T,>(x: T) => x;\n', 'src/b.tsx': 'export const B = () => <div className="x">{1}</div>;\n' } }],
  invalid: [
    {
      name: 'a syntax error is reported with its location and the scan goes on',
      files: { 'src/broken.ts': 'export const ok = 1;\nexport function f( {\n', 'src/fine.ts': "import { ok } from './broken';\nexport const x = ok;\n" },
      // At the end of the file the range still covers one character (never empty), so it ends one past the text.
      errors: [{ messageId: 'syntax', file: 'src/broken.ts', line: 3, column: 1, endLine: 3, endColumn: 2 }],
    },
    {
      name: 'a syntax error inside a line covers the offending token',
      files: { 'src/broken.ts': 'export const ok = 1;\nexport const missing = ;\n' },
      errors: [{ messageId: 'syntax', file: 'src/broken.ts', line: 2, column: 24, endLine: 2, endColumn: 25 }],
    },
    {
      name: 'an unreadable tsconfig is reported',
      files: { 'tsconfig.json': '{ "compilerOptions": { "paths": ', 'src/a.ts': "import { x } from '@app/x';\nexport const a = x;\n" },
      errors: [{ messageId: 'tsconfig', file: 'tsconfig.json', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'warning' }],
    },
  ],
});
