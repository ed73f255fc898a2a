import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../../src/index.js';
import { jsonForScript, scriptSafe } from '../../src/report/html-assets.js';
import { getReporter } from '../../src/report/index.js';

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
    expect(page.match(/<div class="cycle/g)).toHaveLength(2);
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
