import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonc } from './parse-jsonc.js';

/**
 * The folders tsc writes to (`outDir`, `declarationDir`) of every tsconfig the walk found, absolute.
 * What is under them is compiler output, not source: a `.d.ts` or `.js` there is left out of the scan
 * (and counted as `generated`), even when no .gitignore excludes the folder. An option set in an
 * extended config counts, relative to that config (as tsc resolves it); `extends` naming a package is
 * not followed. A folder that holds the tsconfig itself (`"outDir": "."`) would cover its sources too:
 * it is not used.
 */
export function outputDirs(tsconfigs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const file of tsconfigs) {
    const options = compilerOutput(file, 0, new Set());
    for (const dir of [options.outDir, options.declarationDir]) {
      if (!dir) continue;
      const own = path.dirname(file);
      if (own === dir || own.startsWith(dir + path.sep)) continue;
      out.add(dir);
    }
  }
  return [...out].sort();
}

type Output = { outDir?: string; declarationDir?: string };

function compilerOutput(file: string, depth: number, seen: Set<string>): Output {
  if (depth > 16 || seen.has(file)) return {};
  seen.add(file);
  let config: { extends?: unknown; compilerOptions?: Record<string, unknown> };
  try {
    config = parseJsonc(readFileSync(file, 'utf8')) as typeof config;
  } catch {
    return {};
  }
  if (typeof config !== 'object' || config === null) return {};
  const result: Output = {};
  const bases = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
  for (const base of bases) {
    if (typeof base !== 'string' || !(base.startsWith('.') || path.isAbsolute(base))) continue;
    let abs = path.resolve(path.dirname(file), base);
    if (!abs.endsWith('.json')) abs += '.json';
    Object.assign(result, compilerOutput(abs, depth + 1, seen));
  }
  const options = typeof config.compilerOptions === 'object' && config.compilerOptions !== null ? config.compilerOptions : {};
  for (const key of ['outDir', 'declarationDir'] as const) {
    const value = options[key];
    if (typeof value === 'string' && value) result[key] = path.resolve(path.dirname(file), value);
  }
  return result;
}
