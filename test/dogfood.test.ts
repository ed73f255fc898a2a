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

  it('keeps its layers: reporters only read results, the dispatcher imports nothing from the analyzer, few modules touch fs', async () => {
    const project = await scanProject({ root: path.resolve('src'), cache: false });
    const violations: string[] = [];
    const FS_ALLOWED = /^(cli\.ts|scan-api\.ts|check-api\.ts|init-api\.ts|status-api\.ts|fix-api\.ts|config\/|scan\/|fix\/|baseline\/)/;
    for (const [file, refs] of project.refs) {
      for (const r of refs) {
        const spec = r.ref.specifier;
        if (file.startsWith('report/') && r.target && !/^(report|rules|analyze\/group-analysis|scan-result|types)\b/.test(r.target) && !r.ref.typeOnly) violations.push(`${file} -> ${r.target}: reporters only read results`);
        if (file.startsWith('dispatcher/') && r.target && !r.target.startsWith('dispatcher/')) violations.push(`${file} -> ${r.target}: the dispatcher imports nothing from the analyzer`);
        if (/^(node:)?fs(\/promises)?$/.test(spec) && !FS_ALLOWED.test(file)) violations.push(`${file} imports ${spec}: only cli, config, scan, fix and baseline touch fs`);
        if (file.startsWith('rules/') && r.target?.startsWith('report/')) violations.push(`${file} -> ${r.target}: rules never print`);
      }
    }
    expect(violations).toEqual([]);
  });
});
