import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../../src/index.js';
import { jsonForScript, scriptSafe } from '../../src/report/html-assets.js';
import { getReporter } from '../../src/report/index.js';
import { HTML_MAX_NODES } from '../../src/report/html.js';
import { resultGraph } from '../../src/report/result-graph.js';
import { tempProject } from '../helpers/temp-project.js';

const CHROMIUM = '/usr/bin/chromium';
const opts = { color: false };
let result: ScanResult;
let page: string;
beforeAll(async () => {
  result = await scan({ root: path.resolve('fixtures/legacy-app'), cache: false });
  page = (await getReporter('html'))(result, opts);
});

describe('html report', () => {
  it('is one self-contained file: no network src or href, every script inline', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page.match(/<html\b/g)).toHaveLength(1);
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(page).not.toMatch(/<script\b[^>]*\bsrc=/i);
    expect(page).not.toMatch(/<link\b[^>]*rel="stylesheet"/i);
    // Three scripts: the data, cytoscape, the page's own.
    expect(page.match(/<script\b/g)).toHaveLength(3);
    expect(page.match(/<\/script>/g)).toHaveLength(3);
    expect(page).toContain('data-testid="graph"');
  });

  it('names the groups\' implementations with their consumer counts, the cycles and every finding', () => {
    for (const g of result.groups) for (const i of g.implementations) expect(page).toContain(`<code>${i.name}</code>`);
    expect(page).toContain('<tr><td><code>UnifiedToolDispatcher</code></td><td>class</td><td><code>src/tools/unified-tool-dispatcher.ts:57</code></td><td class="num">17</td></tr>');
    expect(page).toContain('<code>RequestScopedToolDispatcher</code> <span class="badge ssot">SSOT</span>');
    expect(page.match(/<details class="cycle/g)).toHaveLength(2);
    expect(page.match(/<tr data-rule=/g)).toHaveLength(result.findings.length);
    expect(page).toContain('<option value="import-cycle">import-cycle</option>');
  });

  it('embeds data so that </script>, <!-- and U+2028/2029 cannot break out of the script', async () => {
    const nasty = 'x</script><script>alert(1)</script><!-- \u2028\u2029 & "q"';
    expect(jsonForScript({ m: nasty })).toBe('{"m":"x\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!-- \\u2028\\u2029 \\u0026 \\"q\\""}');
    expect(JSON.parse(jsonForScript({ m: nasty }))).toEqual({ m: nasty });
    expect(scriptSafe('a = "</SCRIPT>"; b = "<!--";')).toBe('a = "<\\/SCRIPT>"; b = "<\\!--";');
    const tricky: ScanResult = { ...result, groups: [{ ...result.groups[0]!, name: nasty }] };
    const out = (await getReporter('html'))(tricky, opts);
    expect(out.match(/<\/script>/g)).toHaveLength(3);
    expect(out).not.toContain('<script>alert(1)');
    const data = /<script id="ssot-data" type="application\/json">(.*?)<\/script>/s.exec(out)![1]!;
    expect(JSON.parse(data).graph.nodes.some((n: { group?: string }) => n.group === nasty)).toBe(true);
  });

  it('draws the graph in headless Chromium without console errors', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this in CI`);
    mkdirSync('test-artifacts', { recursive: true });
    const file = path.resolve('test-artifacts/html-report.html');
    writeFileSync(file, page);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await tab.goto(pathToFileURL(file).href);
      await tab.waitForFunction(() => (globalThis as { __ssotGraphReady?: boolean }).__ssotGraphReady === true, null, { timeout: 30_000 });
      const count = Number(await tab.getAttribute('[data-testid="graph"]', 'data-node-count'));
      expect(count).toBeGreaterThan(10);
      expect(await tab.locator('canvas').count()).toBeGreaterThan(0);
      const text = await tab.innerText('body');
      expect(text).toContain('UnifiedToolDispatcher');
      expect(text).toContain('RequestScopedToolDispatcher');
      // The filters work: only import-cycle rows stay visible.
      await tab.selectOption('#filter-rule', 'import-cycle');
      expect(await tab.locator('#findings tbody tr:visible').count()).toBe(result.summary.byRule['import-cycle']);
      await tab.selectOption('#filter-rule', '');
      await tab.locator('[data-testid="graph"]').scrollIntoViewIfNeeded();
      await tab.screenshot({ path: 'test-artifacts/html-report.png', fullPage: false });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

/**
 * A repository whose graph has over 500 nodes (issue 19, item 8): ten packages, each a group with an
 * SSOT, two legacy dispatchers and 42 consumers, and two import cycles.
 */
function largeProject(): string {
  const files: Record<string, string | object> = { 'package.json': { name: 'large', private: true } };
  const groups: object[] = [];
  const api = '  run(): void {}\n  stop(): void {}\n  listTools(): string[] { return []; }\n';
  for (let p = 0; p < 10; p++) {
    const pkg = `packages/pkg-${p}/src`;
    files[`${pkg}/core/dispatcher.ts`] = `export class Core${p}Dispatcher {\n${api}}\nexport function createDispatcher${p}(): Core${p}Dispatcher { return new Core${p}Dispatcher(); }\n`;
    files[`${pkg}/legacy/old-dispatcher.ts`] = `export class Old${p}Dispatcher {\n${api}}\n`;
    files[`${pkg}/legacy/unified-dispatcher.ts`] = `export class Unified${p}Dispatcher {\n${api}}\n`;
    for (let k = 0; k < 42; k++) {
      const [module, name] = k % 3 === 0 ? ['core/dispatcher', `Core${p}Dispatcher`] : k % 3 === 1 ? ['legacy/old-dispatcher', `Old${p}Dispatcher`] : ['legacy/unified-dispatcher', `Unified${p}Dispatcher`];
      files[`${pkg}/features/area-${k % 6}/consumer-${k}.ts`] = `import { ${name} } from '../../${module}';\nexport const use${k} = (d: ${name}): void => d.run();\n`;
    }
    for (let c = 0; c < 2; c++) {
      files[`${pkg}/cycles/left-${c}.ts`] = `import { right${c} } from './right-${c}';\nexport const left${c} = (): number => right${c}() + 1;\n`;
      files[`${pkg}/cycles/right-${c}.ts`] = `import { left${c} } from './left-${c}';\nexport const right${c} = (): number => (left${c} ? 1 : 0);\n`;
    }
    groups.push({
      name: `dispatch-${p}`,
      ssot: { module: `${pkg}/core/dispatcher.ts`, export: `Core${p}Dispatcher`, factory: `createDispatcher${p}` },
      legacy: [`${pkg}/legacy/old-dispatcher.ts`, `${pkg}/legacy/unified-dispatcher.ts`],
      role: { names: [`*${p}Dispatcher`] },
      allow: [`${pkg}/legacy/**`, `${pkg}/core/**`],
    });
  }
  files['ssot.config.json'] = { include: ['packages/**/*.ts'], groups };
  return tempProject(files, 'ssot-html-500-');
}

describe('html report of a 500-node graph', () => {
  it('stays readable: a page under 4,000 px, at most HTML_MAX_NODES nodes, no overlapping names, a note on what was left out', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this in CI`);
    const large = await scan({ root: largeProject(), cache: false, threads: 1 });
    expect(resultGraph(large).nodes.length).toBeGreaterThanOrEqual(500);
    mkdirSync('test-artifacts', { recursive: true });
    const file = path.resolve('test-artifacts/html-report-500.html');
    writeFileSync(file, (await getReporter('html'))(large, opts));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await tab.goto(pathToFileURL(file).href);
      await tab.waitForFunction(() => (globalThis as { __ssotGraphReady?: boolean }).__ssotGraphReady === true, null, { timeout: 60_000 });
      // The pictures first, so that a failure below can be looked at.
      await tab.locator('[data-testid="graph"]').scrollIntoViewIfNeeded();
      await tab.screenshot({ path: 'test-artifacts/html-report-500.png', fullPage: false });
      await tab.screenshot({ path: 'test-artifacts/html-report-500-page.png', fullPage: true });
      const height = await tab.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
      expect(height).toBeLessThan(4000);
      const count = Number(await tab.getAttribute('[data-testid="graph"]', 'data-node-count'));
      expect(count).toBeGreaterThan(20);
      expect(count).toBeLessThanOrEqual(HTML_MAX_NODES);
      expect(await tab.innerText('[data-testid="graph-note"]')).toMatch(/^Showing \d+ of \d+ nodes and \d+ of \d+ edges .*consumers of large groups are counted per folder/);
      const labels = await tab.evaluate(() => {
        type Box = { x1: number; x2: number; y1: number; y2: number; w: number; h: number };
        type Node = { id(): string; data(key: string): string; hasClass(c: string): boolean; boundingBox(o: object): Box };
        const cy = (globalThis as unknown as { __ssotGraph: { nodes(): { toArray(): Node[] } } }).__ssotGraph;
        return cy.nodes().toArray().map((n) => ({ id: n.id(), kind: n.data('kind'), label: n.data('label'), shown: !n.hasClass('quiet'), box: n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }) }));
      });
      const shown = labels.filter((l) => l.shown && l.label && l.box.w > 0);
      const overlaps: string[] = [];
      for (let i = 0; i < shown.length; i++) {
        for (let j = i + 1; j < shown.length; j++) {
          const [a, b] = [shown[i]!.box, shown[j]!.box];
          if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps.push(`${shown[i]!.id} / ${shown[j]!.id}`);
        }
      }
      expect(overlaps).toEqual([]);
      // Every SSOT is named, and so are most nodes.
      expect(labels.filter((l) => l.kind === 'ssot' && !l.shown)).toEqual([]);
      expect(shown.length / labels.length).toBeGreaterThan(0.5);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
