import path from 'node:path';
import jscodeshift from 'jscodeshift';
import type { API, FileInfo, Options } from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { listTypeScript, smoke, TRANSFORM_IDS } from '../bench/transform-smoke.mjs';
import { parseModule, resolveRelative } from '../transforms/lib/transform-kit.ts';
import { extractFacts } from '../src/scan/extract-facts.js';

type Transform = (file: FileInfo, api: API, options: Options) => string | undefined | null;

/**
 * Issue 17, items 4-5: every transform over every TypeScript file of this repository, with a no-op config
 * and one built from each file's own imports (bench/transform-smoke.mjs). None may throw, every output must
 * parse for Babel and TypeScript, and a second run on an output must change nothing.
 */
describe('transform smoke test over this repository', () => {
  it('never throws, always parses, is idempotent', async () => {
    const transforms: Record<string, Transform> = {};
    for (const id of TRANSFORM_IDS) transforms[id] = ((await import(path.resolve('transforms', `${id}.ts`))) as { default: Transform }).default;
    const parsers = { ts: jscodeshift.withParser('ts'), tsx: jscodeshift.withParser('tsx') };
    const apiFor = (file: string): API => {
      const j = parsers[/\.[cm]?ts$/.test(file) ? 'ts' : 'tsx'];
      return { jscodeshift: j, j, stats: () => {}, report: () => {} };
    };
    const parses = (file: string, text: string): string | undefined => {
      try {
        parseModule(text, file);
      } catch (error) {
        return `babel: ${(error as Error).message}`;
      }
      const pe = extractFacts(file, text).parseError;
      return pe ? `typescript: ${pe.message}` : undefined;
    };
    const files = ['src', 'test', 'transforms', 'fixtures'].flatMap((d) => listTypeScript(path.resolve(d)));
    const { counts, failures } = smoke(files, { transforms, parses, resolveRelative, apiFor });
    expect(failures).toEqual([]);
    expect(counts.files).toBeGreaterThan(400);
    expect(counts.changed).toBeGreaterThan(100);
    // Only the parse-error fixtures are unreadable on purpose.
    expect(counts.inputsUnparseable).toBeLessThanOrEqual(3);
  }, 600_000);
});
