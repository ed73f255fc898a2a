import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../src/index.js';

/** A copy of the fixture whose files are all older than the cache's racy-timestamp window. */
function fixtureCopy(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ssot-incremental-'));
  cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
  return root;
}

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = path.join(root, rel);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past); // outside the racy window, as an edit made a minute ago
}

const comparable = (r: ScanResult) => ({ findings: r.findings, groups: r.groups, summary: r.summary });

describe('reusing the previous result', () => {
  it('gives exactly the full result when changed files only moved (lines inserted, bodies edited)', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    await scan({ root, cache });
    edit(root, 'src/compat/dispatchers.ts', (t) => `// header\n// more\n\n${t}`);
    edit(root, 'src/factories/agent-instance-factory.ts', (t) => `/* license */\n${t}`);
    edit(root, 'src/agents/research-agent.ts', (t) => t.replace(/\n/, '\n\n\n'));
    const quick = await scan({ root, cache });
    expect(quick.coverage.cached).toBe(quick.coverage.parsed - 3);
    const full = await scan({ root, cache: false });
    expect(comparable(quick)).toEqual(comparable(full));
    expect(quick.findings.find((f) => f.file === 'src/compat/dispatchers.ts')!.line).toBe(10);
  });

  it('falls back to a full run when a change alters facts, and is still exact', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    await scan({ root, cache });
    edit(root, 'src/services/notification-service.ts', (t) => `import { UnifiedToolDispatcher } from '../tools/unified-tool-dispatcher';\nexport const legacyAgain = UnifiedToolDispatcher;\n${t}`);
    const incremental = await scan({ root, cache });
    const full = await scan({ root, cache: false });
    expect(comparable(incremental)).toEqual(comparable(full));
    expect(incremental.summary.byRule['legacy-import']).toBe(42);
  });

  it('stays exact over successive edits of the same file', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    await scan({ root, cache });
    for (let i = 0; i < 3; i++) {
      edit(root, 'src/tools/unified-tool-dispatcher.ts', (t) => `// edit ${i}\n${t}`);
      const quick = await scan({ root, cache });
      expect(comparable(quick)).toEqual(comparable(await scan({ root, cache: false })));
    }
  });
});
