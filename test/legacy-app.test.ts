import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';

const fixture = path.resolve('fixtures/legacy-app');

/**
 * The exact findings on the seed-like fixture. Reviewed against fixtures/legacy-app/EXPECTED.md,
 * which was written independently of the scanner; the second test re-derives the core rows from it.
 */
const EXPECTED = [
    'legacy-import legacyImport src/__tests__/billing-report-job.test.ts:7:11',
    'legacy-import legacyImport src/__tests__/chat-flow.test.ts:9:9',
    'legacy-import legacyImport src/__tests__/tool-dispatcher-legacy.test.ts:7:32',
    'import-cycle typeOnlyCycle src/agents/agent-definition.ts:6:36',
    'legacy-import legacyImport src/agents/code-review-agent.ts:4:32',
    'factory-bypass legacyFactoryCall src/agents/code-review-agent.ts:32:22',
    'legacy-import legacyImport src/agents/data-analysis-agent.ts:5:37',
    'factory-bypass legacyFactoryCall src/agents/data-analysis-agent.ts:30:22',
    'legacy-import barrelReexport src/agents/index.ts:8:39',
    'legacy-import legacyImport src/agents/research-agent.ts:5:53',
    'factory-bypass directConstruction src/agents/research-agent.ts:39:22',
    'legacy-import legacyImport src/agents/summarizer-agent.ts:4:36',
    'legacy-import legacyImport src/chat/chat-command-router.ts:4:55',
    'legacy-import indirectImport src/chat/chat-session-manager.ts:4:61',
    'legacy-import legacyImport src/chat/conversation-recovery.ts:5:37',
    'legacy-import legacyImport src/chat/message-pipeline.ts:5:32',
    'factory-bypass legacyFactoryCall src/chat/message-pipeline.ts:18:22',
    'legacy-import legacyImport src/chat/streaming-response-handler.ts:4:39',
    'legacy-import legacyImport src/chat/tool-result-renderer.ts:17:20',
    'name-collision aliasedName src/compat/dispatchers.ts:7:10',
    'import-cycle runtimeCycle src/factories/agent-instance-factory.ts:11:39',
    'competing-implementation competing src/factories/agent-instance-factory.ts:20:14',
    'shared-state singleton src/factories/agent-instance-factory.ts:20:14',
    'shared-state collaboratorSetter src/factories/agent-instance-factory.ts:36:3',
    'competing-implementation competing src/factories/dispatcher-factory.ts:16:17',
    'competing-implementation competing src/factories/execution-engine-factory.ts:19:14',
    'competing-implementation competing src/factories/tool-dispatcher-factory.ts:13:14',
    'legacy-import legacyImport src/handlers/admin-tool-handler.ts:6:60',
    'factory-bypass directConstruction src/handlers/admin-tool-handler.ts:27:24',
    'legacy-import indirectImport src/handlers/agent-handoff-handler.ts:5:54',
    'legacy-import barrelReexport src/handlers/handler-compat.ts:5:15',
    'legacy-import legacyImport src/handlers/slash-command-handler.ts:4:36',
    'legacy-import legacyImport src/handlers/tool-callback-handler.ts:5:55',
    'factory-bypass legacyFactoryCall src/handlers/tool-callback-handler.ts:33:24',
    'legacy-import legacyImport src/handlers/tool-error-handler.ts:4:32',
    'legacy-import legacyImport src/jobs/cleanup-stale-runs-job.ts:17:40',
    'legacy-import barrelReexport src/jobs/job-toolkit.ts:4:30',
    'legacy-import legacyImport src/jobs/module-health-job.ts:14:44',
    'legacy-import legacyImport src/jobs/nightly-tool-audit-job.ts:6:45',
    'factory-bypass legacyFactoryCall src/jobs/nightly-tool-audit-job.ts:16:24',
    'legacy-import legacyImport src/jobs/report-generation-job.ts:5:37',
    'factory-bypass legacyFactoryCall src/jobs/report-generation-job.ts:24:26',
    'legacy-import indirectImport src/jobs/retry-failed-runs-job.ts:4:45',
    'legacy-import legacyImport src/jobs/scheduled-tool-job.ts:4:36',
    'legacy-import legacyImport src/jobs/tool-warmup-job.ts:5:8',
    'shared-state collaboratorSetter src/lib/logger.ts:30:3',
    'shared-state moduleInstance src/lib/logger.ts:78:14',
    'legacy-import indirectImport src/routes/agent-run-route.ts:5:50',
    'factory-bypass directConstruction src/routes/debug-dispatch-route.ts:26:24',
    'legacy-import legacyImport src/routes/executor-diagnostics-route.ts:6:37',
    'factory-bypass legacyFactoryCall src/routes/executor-diagnostics-route.ts:13:24',
    'legacy-import legacyImport src/routes/legacy-tools-route.ts:6:32',
    'factory-bypass legacyFactoryCall src/routes/legacy-tools-route.ts:21:24',
    'factory-bypass legacyFactoryCall src/routes/legacy-tools-route.ts:36:24',
    'legacy-import legacyImport src/routes/tool-migration-route.ts:24:28',
    'legacy-import legacyImport src/routes/tools-status-route.ts:5:32',
    'factory-bypass legacyFactoryCall src/routes/tools-status-route.ts:24:24',
    'legacy-import legacyImport src/routes/webhook-route.ts:6:36',
    'legacy-import legacyImport src/services/agent-execution-service.ts:5:37',
    'factory-bypass legacyFactoryCall src/services/agent-execution-service.ts:37:22',
    'legacy-import legacyImport src/services/legacy-bridge-service.ts:5:35',
    'legacy-import legacyImport src/services/plugin-loader.ts:7:36',
    'legacy-import legacyImport src/services/tool-catalog-service.ts:4:25',
    'legacy-import legacyImport src/services/tool-result-formatter.ts:4:60',
    'legacy-import legacyImport src/services/tool-usage-service.ts:6:39',
    'factory-bypass directConstruction src/services/tool-usage-service.ts:23:24',
    'legacy-import indirectImport src/services/workflow-service.ts:5:45',
    'competing-implementation competing src/tools/tool-dispatcher.ts:44:14',
    'shared-state singleton src/tools/tool-dispatcher.ts:44:14',
    'shared-state collaboratorSetter src/tools/tool-dispatcher.ts:68:3',
    'competing-implementation competing src/tools/tool-executor-factory.ts:23:14',
    'shared-state singleton src/tools/tool-executor-factory.ts:23:14',
    'shared-state moduleCollection src/tools/unified-tool-dispatcher.ts:55:7',
    'competing-implementation competing src/tools/unified-tool-dispatcher.ts:57:14',
    'competing-implementation competing src/tools/unified-tool-dispatcher.ts:220:17',
    'competing-implementation competing src/tools/unified-tool-dispatcher.ts:220:17',
];

/** Rows `| # | \`file\` | line | …` of the EXPECTED.md table under `heading`. */
function tableRows(markdown: string, heading: string): { file: string; line: number }[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`no section ${heading}`);
  return section
    .split('\n')
    .map((l) => /^\|(?:[^|]*\|){0,2}?\s*`(src\/[^`]+)`\s*\|\s*(\d+)\s*\|/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ file: m[1]!, line: Number(m[2]) }));
}

describe('fixtures/legacy-app', () => {
  it('reports exactly the expected findings, each with a relative file, line and column', async () => {
    const result = await scan({ root: fixture, cache: false });
    expect(result.findings.map((f) => `${f.ruleId} ${f.messageId} ${f.file}:${f.line}:${f.column}`)).toEqual(EXPECTED);
    for (const f of result.findings) {
      expect(f.file).toMatch(/^src\/[\w./-]+\.ts$/);
      expect(f.line).toBeGreaterThan(0);
      expect(f.column).toBeGreaterThan(0);
    }
    expect(result.summary.byRule).toEqual({
      'legacy-import': 41,
      'competing-implementation': 9,
      'factory-bypass': 15,
      'import-cycle': 2,
      'shared-state': 8,
      'name-collision': 1,
    });
    // 111 sources and the hand-written src/types/runtime-shims.d.ts, analysed since issue 16 (no imports: no findings).
    expect(result.coverage).toMatchObject({ files: 112, parsed: 112, failed: 0, skipped: [] });
  });

  it('agrees with the independently written EXPECTED.md on legacy imports, indirect consumers and competing implementations', async () => {
    const md = readFileSync(path.join(fixture, 'EXPECTED.md'), 'utf8');
    const result = await scan({ root: fixture, cache: false });
    const at = (rule: string, pred: (f: (typeof result.findings)[number]) => boolean): string[] =>
      result.findings.filter((f) => f.ruleId === rule && pred(f)).map((f) => `${f.file}:${f.line}`).sort();
    const rows = (heading: string): string[] => [...new Set(tableRows(md, heading).map((r) => `${r.file}:${r.line}`))].sort();
    expect(at('legacy-import', (f) => f.severity === 'error')).toEqual(rows('Legacy imports'));
    expect(at('legacy-import', (f) => f.severity === 'info')).toEqual(rows('Indirect consumers'));
    expect(at('competing-implementation', () => true)).toEqual(rows('Competing implementations').flatMap((r) => (r.endsWith(':220') ? [r, r] : [r])).sort());
    expect(at('name-collision', () => true)).toEqual(rows('Name collision'));
    expect(rows('Factory bypass').every((r) => at('factory-bypass', () => true).includes(r))).toBe(true);
  });

  it('maps every implementation to its consumers', async () => {
    const result = await scan({ root: fixture, cache: false });
    const group = result.groups.find((g) => g.name === 'tool-dispatcher')!;
    const byName = Object.fromEntries(group.implementations.map((i) => [i.name, i]));
    expect(byName.RequestScopedToolDispatcher!.ssot).toBe(true);
    expect(byName.UnifiedToolDispatcher!.consumers.map((c) => c.file)).toContain('src/agents/research-agent.ts');
    expect(byName.UnifiedToolDispatcher!.consumers.find((c) => c.file === 'src/compat/dispatchers.ts')!.relations).toContain('re-export');
    expect(group.legacy.map((l) => [l.module, l.consumers.length])).toEqual([
      ['src/tools/unified-tool-dispatcher.ts', 12],
      ['src/tools/tool-dispatcher.ts', 13],
      ['src/tools/tool-executor-factory.ts', 6],
      ['src/legacy/dispatch', 5],
    ]);
  });
});
