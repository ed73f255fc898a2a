import { ruleTester } from '../helpers/rule-tester.js';

const big = `export const big = "${'x'.repeat(2 * 1024 * 1024 + 10)}";\n`;
const binary = Buffer.from([0x47, 0x00, 0x11, 0x10, 0x00, 0x42, 0xf0, 0x25, 0x00, 0x01, 0x02, 0x03]);

ruleTester('skipped-file', {
  valid: [
    { name: 'text files, whatever their bytes, are analysed', files: { 'src/a.ts': 'export const a = 1; // caf\u00e9\n', 'src/b.ts': 'export const b = 2; // nul \u0000 in a comment\n' } },
    { name: 'a reason the config allows', files: { 'src/huge.ts': big }, config: { rules: { 'skipped-file': { options: { allow: ['too-large'] } } } } },
    { name: 'the rule turned off', files: { 'src/video.ts': binary as unknown as string }, config: { rules: { 'skipped-file': 'off' } } },
  ],
  invalid: [
    {
      name: 'a file over the size limit',
      files: { 'src/huge.ts': big, 'src/a.ts': 'export const a = 1;\n' },
      errors: [{ messageId: 'skipped', file: 'src/huge.ts', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', data: { reason: 'too-large' } }],
    },
    {
      name: 'binary content named .ts (a transport-stream video)',
      files: { 'src/video.ts': binary as unknown as string },
      errors: [{ messageId: 'skipped', file: 'src/video.ts', line: 1, column: 1, endLine: 1, endColumn: 1, data: { reason: 'binary' } }],
    },
    {
      name: 'allowing one reason keeps the others',
      files: { 'src/huge.ts': big, 'src/video.ts': binary as unknown as string },
      config: { rules: { 'skipped-file': { options: { allow: ['too-large'] } } } },
      errors: [{ messageId: 'skipped', file: 'src/video.ts', line: 1, column: 1, endLine: 1, endColumn: 1, data: { reason: 'binary' } }],
    },
  ],
});
