import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jscodeshift from 'jscodeshift';
import type { API, FileInfo, Options } from 'jscodeshift';
import { describe, expect, it } from 'vitest';

/**
 * One harness for every transform (STYLE.md, Tests 3): each `fixtures/transforms/<id>/<case>.input.ts` runs
 * through `transforms/<id>.ts` and must equal `<case>.output.ts` byte for byte (a missing output means the
 * transform must return `undefined`); the output, run again, must not change. Options come from
 * `<case>.options.json`, else the folder's `options.json`; string values (and comma-separated parts) that
 * start with `./` or `../` are resolved against the fixture folder.
 */
type Transform = (file: FileInfo, api: API, options: Options) => string | undefined | null;

const fixturesRoot = path.resolve('fixtures/transforms');
const parsers = { ts: jscodeshift.withParser('ts'), tsx: jscodeshift.withParser('tsx') };

function resolveOptions(dir: string, raw: Record<string, unknown>): Options {
  const resolvePart = (part: string): string => (/^\.\.?\//.test(part.trim()) ? path.resolve(dir, part.trim()) : part);
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, typeof value === 'string' ? value.split(',').map(resolvePart).join(',') : value]),
  );
}

function readOptions(dir: string, name: string): Options {
  for (const file of [path.join(dir, `${name}.options.json`), path.join(dir, 'options.json')]) {
    if (fs.existsSync(file)) return resolveOptions(dir, JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
  }
  return {};
}

/** Calls a transform the way the jscodeshift runner does, without its output trimming. */
export function runTransform(transform: Transform, filePath: string, source: string, options: Options): string | undefined {
  const j = parsers[/\.[cm]?ts$/.test(filePath) ? 'ts' : 'tsx'];
  const api: API = { jscodeshift: j, j, stats: () => {}, report: () => {} };
  return transform({ path: filePath, source }, api, options) ?? undefined;
}

const ids = fs.existsSync(fixturesRoot)
  ? fs.readdirSync(fixturesRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  : [];

describe.each(ids)('transform %s', (id) => {
  const dir = path.join(fixturesRoot, id);
  // `.input.tsx` for cases that need JSX (parsed as `tsx`, as the extension decides).
  const cases = fs.readdirSync(dir).flatMap((f) => /^(.*)\.input\.(tsx?)$/.exec(f)?.slice(1, 3).join('.') ?? []).sort();

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s', async (nameAndExt) => {
    const mod = (await import(path.resolve('transforms', `${id}.ts`))) as { default: Transform };
    const ext = nameAndExt.slice(nameAndExt.lastIndexOf('.') + 1);
    const name = nameAndExt.slice(0, -ext.length - 1);
    const inputPath = path.join(dir, `${name}.input.${ext}`);
    const outputPath = path.join(dir, `${name}.output.${ext}`);
    const options = readOptions(dir, name);
    const input = fs.readFileSync(inputPath, 'utf8');
    const output = runTransform(mod.default, inputPath, input, options);
    if (!fs.existsSync(outputPath)) {
      expect(output).toBeUndefined();
      return;
    }
    const expected = fs.readFileSync(outputPath, 'utf8');
    expect(output).toBe(expected);
    // Idempotence: the output is resolved from the input's own folder, like the file it replaces.
    expect(runTransform(mod.default, inputPath, expected, options)).toBeUndefined();
  });
});

describe('rewrite-imports standalone', () => {
  it('runs through `jscodeshift -t transforms/rewrite-imports.ts` with the same options', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-rewrite-imports-'));
    try {
      const fixture = path.join(fixturesRoot, 'rewrite-imports');
      fs.cpSync(path.join(fixture, 'src'), path.join(tmp, 'src'), { recursive: true });
      const file = path.join(tmp, 'named-import.ts');
      fs.copyFileSync(path.join(fixture, 'named-import.input.ts'), file);
      const options = JSON.parse(fs.readFileSync(path.join(fixture, 'options.json'), 'utf8')) as { legacy: string; ssot: string; renames: object };
      const r = spawnSync(
        path.resolve('node_modules/.bin/jscodeshift'),
        [
          '-t', path.resolve('transforms/rewrite-imports.ts'), '--parser=tsx', '--dry', '--print',
          `--legacy=${path.resolve(tmp, options.legacy)}`, `--ssot=${path.resolve(tmp, options.ssot)}`,
          `--renames=${JSON.stringify(options.renames)}`, file,
        ],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(fs.readFileSync(path.join(fixture, 'named-import.output.ts'), 'utf8'));
      expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(fixture, 'named-import.input.ts'), 'utf8'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
