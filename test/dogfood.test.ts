import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, scanProject } from '../src/index.js';

/** ssot-kit run on itself: its own rules, and the layering STYLE.md asks for, checked on its own facts. */
describe('dogfood', () => {
  it('finds no cycle and no shared state in src/', async () => {
    const result = await scan({ root: path.resolve('src'), cache: false });
    // The schema validators are generated into dist/ at build time (scripts/build-validators.mjs), so src/ cannot hold them.
    const generated = (f: { ruleId: string; data: Record<string, string | number> }): boolean => f.ruleId === 'unresolved-import' && /^\.\/(config|report)-validator\.cjs$/.test(String(f.data.specifier));
    expect(result.findings.filter(generated).map((f) => f.file)).toEqual(['config/load-config.ts', 'scan/cache-shapes.ts']);
    expect(result.findings.filter((f) => !generated(f)).map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`)).toEqual([]);
  });

  it('keeps its layers: reporters only read results, the dispatcher imports nothing from the analyzer, few modules touch fs, one helper writes files', async () => {
    const project = await scanProject({ root: path.resolve('src'), cache: false });
    const violations: string[] = [];
    const FS_ALLOWED = /^(cli\.ts|scan-api\.ts|check-api\.ts|init-api\.ts|status-api\.ts|fix-api\.ts|write-atomic\.ts|config\/|scan\/|fix\/|baseline\/)/;
    for (const [file, refs] of project.refs) {
      for (const r of refs) {
        const spec = r.ref.specifier;
        if (file.startsWith('report/') && r.target && !/^(report|rules|analyze\/group-analysis|scan-result|types)\b/.test(r.target) && !r.ref.typeOnly) violations.push(`${file} -> ${r.target}: reporters only read results`);
        if (file.startsWith('dispatcher/') && r.target && !r.target.startsWith('dispatcher/')) violations.push(`${file} -> ${r.target}: the dispatcher imports nothing from the analyzer`);
        if (/^(node:)?fs(\/promises)?$/.test(spec) && !FS_ALLOWED.test(file)) violations.push(`${file} imports ${spec}: only cli, config, scan, fix and baseline touch fs`);
        if (file.startsWith('rules/') && r.target?.startsWith('report/')) violations.push(`${file} -> ${r.target}: rules never print`);
        // Issue #20, item 5: every writer replaces files through write-atomic.ts, a leaf, instead of its own temp file and rename.
        if (file === 'write-atomic.ts' && r.target) violations.push(`${file} -> ${r.target}: write-atomic imports nothing from ssot-kit, so every writer may import it`);
        if (r.target === 'write-atomic.ts' && !FS_ALLOWED.test(file)) violations.push(`${file} -> ${r.target}: only cli, config, scan, fix and baseline write files`);
        if (/^(scan|baseline|config)\//.test(file) && r.target?.startsWith('fix/')) violations.push(`${file} -> ${r.target}: scan, baseline and config import nothing from fix`);
        // fix/write-transaction.ts renames the temp files writeTemp wrote, all at once, as one transaction.
        const renames = /^(node:)?fs(\/promises)?$/.test(spec) ? r.ref.names.filter((n) => /^rename(Sync)?$/.test(n.imported)) : [];
        if (renames.length && file !== 'write-atomic.ts' && file !== 'fix/write-transaction.ts') violations.push(`${file} imports ${renames[0]!.imported}: files are replaced through write-atomic.ts`);
      }
    }
    expect(violations).toEqual([]);
  });
});
