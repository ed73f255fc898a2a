import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../../src/index.js';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { getReporter } from '../../src/report/index.js';

let result: ScanResult;
beforeAll(async () => {
  result = await scan({ root: path.resolve('fixtures/legacy-app'), cache: false });
});

/** Reporter output with the machine-specific parts (absolute root, durations, version) normalized. */
function normalize(out: string): string {
  return out.split(result.root).join('<root>').replace(/in \d+\.\d\ds/g, 'in <t>s').replace(/"durationMs": \d+/g, '"durationMs": 0').replace(/"version": "\d+\.\d+\.\d+"/g, '"version": "<v>"');
}

const opts = { color: false };

describe('json', () => {
  it('validates against schema/report.schema.json', async () => {
    const schema = JSON.parse(readFileSync('schema/report.schema.json', 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, JSON.parse((await getReporter('json'))(result, opts)));
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('sarif', () => {
  it('validates against the official SARIF 2.1.0 schema', async () => {
    const schema = JSON.parse(readFileSync('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', 'utf8'));
    // The official schema is draft-04.
    const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04').default as typeof Ajv;
    const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const log = JSON.parse((await getReporter('sarif'))(result, opts));
    const valid = ajv.validate(schema, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('has rules from the findings, relative URIs, 1-based regions and partial fingerprints', async () => {
    const log = JSON.parse((await getReporter('sarif'))(result, opts));
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['competing-implementation', 'factory-bypass', 'import-cycle', 'legacy-import', 'name-collision', 'shared-state']);
    expect(run.results).toHaveLength(result.findings.length);
    for (const r of run.results) {
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^src\//);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(r.partialFingerprints['ssotFingerprint/v1']).toMatch(/^[0-9a-f]{20}$/);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
  });
});

describe('github', () => {
  it('escapes data and properties as the workflow-command spec says', async () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('src/a:b,c.ts')).toBe('src/a%3Ab%2Cc.ts');
  });

  it('prints one annotation per finding with file, line and column', async () => {
    const lines = (await getReporter('github'))(result, opts).trimEnd().split('\n');
    expect(lines).toHaveLength(result.findings.length);
    expect(lines[0]).toMatch(/^::(error|warning|notice) file=src\/[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=ssot [a-z-]+::.+/);
  });
});

describe('text and markdown', () => {
  it('text groups by file, ends with a summary and a coverage line, and has no colour when off', async () => {
    const out = normalize((await getReporter('text'))(result, opts));
    expect(out).not.toMatch(/\u001b\[/);
    expect(out).toContain('src/factories/agent-instance-factory.ts\n  11:39    error    Import cycle of 2 modules');
    expect(out).toContain('✖ 76 findings (62 errors, 8 warnings, 6 info)');
    expect(out).toMatch(/Scanned 112 files in <t>s: 112 parsed, 0 failed to parse, 0 skipped\nConfig: ssot.config.json\n$/);
    expect(out).toMatchSnapshot();
  });

  it('text colours severities when on', async () => {
    expect((await getReporter('text'))(result, { color: true })).toMatch(/\u001b\[31merror/);
  });

  it('markdown has the summary, the findings table and a consumer map per implementation', async () => {
    const out = normalize((await getReporter('markdown'))(result, opts));
    expect(out).toContain('**62** error(s), **8** warning(s), **6** info.');
    expect(out).toContain('| `src/compat/dispatchers.ts:7:10` | error | `name-collision` |');
    expect(out).toContain('<details><summary>Consumers of <code>UnifiedToolDispatcher</code>');
    expect(out).toContain('| `src/tools/unified-tool-dispatcher.ts` | 12 |');
    expect(out).toMatchSnapshot();
  });
});

describe('graph formats and html', () => {
  it('mermaid draws the consumer map as a flowchart with the SSOT marked', async () => {
    const out = (await getReporter('mermaid'))(result, opts);
    expect(out.startsWith('flowchart LR\n')).toBe(true);
    expect(out).toMatch(/n\d+\[\["RequestScopedToolDispatcher"\]\]:::ssot/);
    expect(out).toMatch(/n\d+\("src\/agents\/research-agent\.ts"\):::consumer/);
  });

  it('dot draws the same graph as a Graphviz digraph', async () => {
    const out = (await getReporter('dot'))(result, opts);
    expect(out).toMatch(/^digraph ssot \{\n[\s\S]*\}\n$/);
    expect(out).toContain('"file:src/agents/research-agent.ts" -> "impl:tool-dispatcher:src/tools/unified-tool-dispatcher.ts#UnifiedToolDispatcher" [label="construct, import"');
  });

  it('html is one page with the summary, the graph container and a row per finding', async () => {
    const out = (await getReporter('html'))(result, opts);
    expect(out).toContain('<div class="card error"><b>62</b>errors</div>');
    expect(out).toContain('<div id="graph" data-testid="graph"></div>');
    expect(out.match(/<tr data-rule=/g)).toHaveLength(result.findings.length);
  });
});
