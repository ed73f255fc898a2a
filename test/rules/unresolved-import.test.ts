import { ruleTester } from '../helpers/rule-tester.js';

const tsconfigWithAlias = { compilerOptions: { module: 'esnext', moduleResolution: 'bundler', baseUrl: '.', paths: { '@/*': ['./src/*'] } } };

ruleTester('unresolved-import', {
  valid: [
    { name: 'relative, alias and package imports that resolve', files: { 'tsconfig.json': tsconfigWithAlias, 'src/a.ts': "import { b } from './b';\nimport { c } from '@/c';\nimport fs from 'node:fs';\n", 'src/b.ts': 'export const b = 1;\n', 'src/c.ts': 'export const c = 1;\n' } },
    {
      name: 'a folder import through the folder\'s package.json main, as TypeScript reads a folder',
      files: { 'src/a.ts': "import { v } from './vendor';\n", 'src/vendor/package.json': { main: 'lib/entry.js' }, 'src/vendor/lib/entry.ts': 'export const v = 1;\n' },
    },
    {
      name: 'a configured tsconfig holds the files the nearest one does not (a root tsconfig.json with "files": [])',
      files: { 'tsconfig.json': { files: [] }, 'tsconfig.app.json': { ...tsconfigWithAlias, include: ['src'] }, 'src/a.ts': "import { c } from '@/c';\n", 'src/c.ts': 'export const c = 1;\n' },
      config: { tsconfig: 'tsconfig.app.json' },
    },
    { name: 'a package that is not installed is counted in the coverage, not reported', files: { 'src/a.ts': "import { z } from 'zod-not-installed';\n" } },
    { name: 'the rule turned off', files: { 'src/a.ts': "import { gone } from './gone';\n" }, config: { rules: { 'unresolved-import': 'off' } } },
  ],
  invalid: [
    {
      name: 'a relative path to no file',
      files: { 'src/a.ts': "import { gone } from './gone';\n" },
      errors: [{ messageId: 'unresolvedImport', file: 'src/a.ts', line: 1, column: 22, endLine: 1, endColumn: 30, severity: 'info', data: { specifier: './gone' }, message: 'Cannot resolve ./gone: no file matches it, so what it imports is not analysed. Fix the path or the tsconfig/package.json that maps it.' }],
    },
    {
      name: 'an alias whose target does not exist, and a package.json import with no mapping',
      files: { 'tsconfig.json': tsconfigWithAlias, 'package.json': { name: 'app', imports: { '#db': './src/db.ts' } }, 'src/a.ts': "import { x } from '@/missing';\nimport { y } from '#nowhere';\n" },
      errors: [
        { messageId: 'unresolvedImport', file: 'src/a.ts', line: 1, column: 19, endLine: 1, endColumn: 30, data: { specifier: '@/missing' } },
        { messageId: 'unresolvedImport', file: 'src/a.ts', line: 2, column: 19, endLine: 2, endColumn: 29, data: { specifier: '#nowhere' } },
      ],
    },
    {
      name: 'strictResolution in the config makes it an error',
      files: { 'src/a.ts': "export * from './gone';\n" },
      config: { strictResolution: true },
      errors: [{ messageId: 'unresolvedImport', file: 'src/a.ts', line: 1, column: 15, endLine: 1, endColumn: 23, severity: 'error', data: { specifier: './gone' } }],
    },
  ],
});
