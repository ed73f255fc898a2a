import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeJsonError, parseJsonc } from './parse-jsonc.js';
import { array, either, object, record, str } from './shape.js';

/** The part of a tsconfig.json chain that module resolution needs. */
export interface TsconfigInfo {
  file: string;
  /** Absolute baseUrl, when one is set in the chain. */
  baseUrl?: string;
  /** `paths` patterns, longest prefix first; targets are absolute. */
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
}

export interface TsconfigProblem {
  file: string;
  message: string;
}

interface RawChain {
  baseUrl?: string;
  paths?: Record<string, string[]>;
  pathsBase?: string;
}

/**
 * Finds each file's nearest tsconfig.json (monorepos have one per package) and reads the
 * `extends` chain the way TypeScript does: relative or package paths, arrays, comments.
 */
export class TsconfigIndex {
  readonly problems: TsconfigProblem[] = [];
  private readonly byDir = new Map<string, TsconfigInfo | undefined>();
  private readonly parsed = new Map<string, TsconfigInfo | undefined>();

  /**
   * @param fallback a tsconfig used for files with no tsconfig.json between them and the root
   * @param workspaces workspace packages, so `"extends": "@org/tsconfig/base.json"` resolves without an install
   */
  constructor(
    private readonly root: string,
    private readonly fallback?: string,
    private readonly workspaces: ReadonlyMap<string, { dir: string }> = new Map(),
  ) {}

  forFile(file: string): TsconfigInfo | undefined {
    return this.forDir(path.dirname(file));
  }

  private forDir(dir: string): TsconfigInfo | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    let info: TsconfigInfo | undefined;
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) info = this.load(candidate);
    else if (dir === this.root || !dir.startsWith(this.root + path.sep)) info = this.fallback ? this.load(this.fallback) : undefined;
    else info = this.forDir(path.dirname(dir));
    this.byDir.set(dir, info);
    return info;
  }

  load(file: string): TsconfigInfo | undefined {
    if (this.parsed.has(file)) return this.parsed.get(file);
    this.parsed.set(file, undefined);
    const chain = this.readChain(file, new Set());
    const info: TsconfigInfo | undefined = chain && { file, paths: [] };
    if (info && chain) {
      if (chain.baseUrl) info.baseUrl = chain.baseUrl;
      const base = chain.baseUrl ?? chain.pathsBase ?? path.dirname(file);
      for (const [pattern, targets] of Object.entries(chain.paths ?? {})) {
        const star = pattern.indexOf('*');
        info.paths.push({
          prefix: star < 0 ? pattern : pattern.slice(0, star),
          suffix: star < 0 ? '' : pattern.slice(star + 1),
          wildcard: star >= 0,
          targets: targets.map((t) => path.resolve(base, t)),
        });
      }
      info.paths.sort((a, b) => b.prefix.length - a.prefix.length);
    }
    this.parsed.set(file, info);
    return info;
  }

  private readChain(file: string, seen: Set<string>): RawChain | undefined {
    if (seen.has(file)) {
      this.problems.push({ file, message: 'circular "extends" chain' });
      return {};
    }
    seen.add(file);
    let json: { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
      json = parseJsonc(text) as typeof json;
    } catch (error) {
      this.problems.push({ file, message: `cannot read tsconfig: ${describeJsonError(error, text)}` });
      return undefined;
    }
    // Read from a file the scanned repository holds: every part used is checked for its shape first.
    if (!tsconfigShape(json)) {
      this.problems.push({ file, message: 'cannot read tsconfig: "extends", "compilerOptions.baseUrl" or "compilerOptions.paths" is not of the shape TypeScript reads' });
      return undefined;
    }
    const dir = path.dirname(file);
    let result: RawChain = {};
    const parents = json.extends === undefined ? [] : Array.isArray(json.extends) ? json.extends : [json.extends];
    for (const ext of parents) {
      const parentFile = resolveExtends(ext, dir, this.workspaces);
      if (!parentFile) {
        this.problems.push({ file, message: `"extends": cannot find ${JSON.stringify(ext)}` });
        continue;
      }
      const parent = this.readChain(parentFile, seen);
      if (parent) result = { ...result, ...definedOnly(parent) };
    }
    const options = json.compilerOptions ?? {};
    if (typeof options.baseUrl === 'string') result.baseUrl = path.resolve(dir, options.baseUrl);
    if (options.paths && typeof options.paths === 'object') {
      result.paths = options.paths;
      result.pathsBase = dir;
    }
    return result;
  }
}

const tsconfigShape = object(
  {},
  { extends: either(str, array(str)), compilerOptions: object({}, { baseUrl: str, paths: record(array(str)) }) },
) as (v: unknown) => v is { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };

function definedOnly(chain: RawChain): RawChain {
  const out: RawChain = {};
  if (chain.baseUrl) out.baseUrl = chain.baseUrl;
  if (chain.paths) {
    out.paths = chain.paths;
    if (chain.pathsBase) out.pathsBase = chain.pathsBase;
  }
  return out;
}

function resolveExtends(ext: string, dir: string, workspaces: ReadonlyMap<string, { dir: string }>): string | undefined {
  if (ext.startsWith('.') || path.isAbsolute(ext)) {
    const abs = path.resolve(dir, ext);
    return [abs, `${abs}.json`].find(isFile);
  }
  const parts = ext.split('/');
  const name = ext.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const ws = workspaces.get(name);
  if (ws) {
    const base = path.join(ws.dir, ext.slice(name.length));
    const viaPackage = ext === name ? packageTsconfig(ws.dir) : undefined;
    const found = [viaPackage, base, `${base}.json`, path.join(base, 'tsconfig.json')].find((c) => c !== undefined && isFile(c));
    if (found) return found;
  }
  // A package: node_modules/<pkg>/<sub>, or the package's "tsconfig" field, or its tsconfig.json.
  for (let d = dir; ; d = path.dirname(d)) {
    const base = path.join(d, 'node_modules', ext);
    for (const c of [base, `${base}.json`]) if (isFile(c)) return c;
    const pkgJson = path.join(base, 'package.json');
    if (isFile(pkgJson)) {
      try {
        const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { tsconfig?: string };
        const c = path.join(base, pkg.tsconfig ?? 'tsconfig.json');
        if (isFile(c)) return c;
      } catch {
        /* unreadable package.json: keep looking */
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The tsconfig a package points at with its "tsconfig" field, or its tsconfig.json. */
function packageTsconfig(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { tsconfig?: string };
    return path.join(dir, pkg.tsconfig ?? 'tsconfig.json');
  } catch {
    return path.join(dir, 'tsconfig.json');
  }
}
