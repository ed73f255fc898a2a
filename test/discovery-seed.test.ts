import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';

/**
 * Issue 18, item 1: a seed-like codebase (fixtures/seed-dispatchers) with five tool dispatchers in five
 * styles and four factories in four styles among decoys. Zero-config discovery finds exactly the two
 * groups, apart, and no decoy.
 */
const root = path.resolve('fixtures/seed-dispatchers');
const DISPATCHERS = ['AgentToolDispatcher', 'LegacyToolDispatcher', 'ToolDispatchService', 'ToolDispatcher', 'createToolDispatcher'];
const FACTORIES = ['DispatcherFactory', 'ToolDispatcherFactory', 'dispatcherFactory', 'makeDispatcherFactory'];
const DECOYS = ['EventDispatcher', 'EventDispatcherFactory', 'ActionDispatcher', 'MockToolDispatcher', 'IToolDispatcher', 'ToolDispatcherLike', 'ToolDispatcherOptions', 'ToolDispatchError', 'TOOL_DISPATCHER_CONFIG', 'ToolResultFactory', 'BaseDispatcher', 'handleChat'];

describe('discovery on the seed-like fixture', async () => {
  const result = await scan({ root, cache: false, config: false, rules: ['competing-implementation'] });
  const members = (g: (typeof result.groups)[number]): string[] => g.implementations.map((i) => i.name).sort();

  it('finds exactly the dispatchers and the factories, as two competing groups', () => {
    expect(result.groups.map(members).sort()).toEqual([[...DISPATCHERS].sort(), [...FACTORIES].sort()].sort());
    for (const g of result.groups) {
      expect(g.discovered).toBe(true);
      expect(g.discovery?.kind).toBe('competing');
      expect(g.discovery!.confidence).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('puts no decoy in any group and reports none', () => {
    const named = new Set([...result.groups.flatMap(members), ...result.findings.map((f) => String(f.data.name))]);
    for (const decoy of DECOYS) expect(named.has(decoy), decoy).toBe(false);
  });

  it('shows its evidence, and suggests no deprecated SSOT', () => {
    const dispatchers = result.groups.find((g) => g.implementations.some((i) => i.name === 'ToolDispatcher'))!;
    expect(dispatchers.name).toBe('tool-dispatcher');
    expect(new Set(dispatchers.discovery!.evidence.map((e) => e.kind))).toEqual(new Set(['api-overlap', 'role-noun', 'substitution']));
    expect(dispatchers.implementations.find((i) => i.ssot)?.name).not.toBe('LegacyToolDispatcher');
    expect(dispatchers.discovery!.ssotReasons.some((r) => r.startsWith('not LegacyToolDispatcher: deprecated'))).toBe(true);
    const factories = result.groups.find((g) => g !== dispatchers)!;
    expect(factories.discovery!.evidence.filter((e) => e.kind === 'substitution').length).toBeGreaterThan(0);
    // One warning per member that is not the suggested SSOT.
    expect(result.findings.filter((f) => f.messageId === 'discovered')).toHaveLength(DISPATCHERS.length - 1 + FACTORIES.length - 1);
  });

  it('drops groups under the confidence threshold, and lowering it shows more, never fewer', async () => {
    const strict = await scan({ root, cache: false, config: false, rules: ['competing-implementation'], minConfidence: 0.99 });
    expect(strict.groups).toHaveLength(0);
    const loose = await scan({ root, cache: false, config: false, rules: ['competing-implementation'], minConfidence: 0 });
    expect(loose.groups.length).toBeGreaterThanOrEqual(result.groups.length);
  });
});
