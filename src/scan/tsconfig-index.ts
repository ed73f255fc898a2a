import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { describeJsonError, parseJsonc } from './parse-jsonc.js';
import { array, bool, either, object, record, str } from './shape.js';

/** The part of a tsconfig.json chain that module resolution needs. */
export interface TsconfigInfo {
  file: string;
  /** Absolute baseUrl, when one is set in the chain. */
  baseUrl?: string;
  /** `paths` patterns, longest prefix first; targets are absolute. */
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
  /**
   * The conditions package.json `exports` and `imports` are matched with (`default` always matches),
   * as TypeScript's `getConditions` builds them for an import; undefined where TypeScript reads neither
   * field (`moduleResolution` node10 or classic).
   */
  conditions?: string[];
  /** Absolute paths of the tsconfig files named in `references`. */
  references: string[];
  /** Whether the project's `files`/`include`/`exclude` hold a file (absolute path). */
  owns(file: string): boolean;
}

export interface TsconfigProblem {
  file: string;
  message: string;
}

interface RawChain {
  baseUrl?: string;
  paths?: Record<string, string[]>;
  pathsBase?: string;
  moduleResolution?: string;
  module?: string;
  customConditions?: string[];
  resolvePackageJsonExports?: boolean;
  resolvePackageJsonImports?: boolean;
  /** `files`, `include`, `exclude` as absolute patterns (each relative to the config that set it). */
  files?: string[];
  include?: string[];
  exclude?: string[];
}

interface TsconfigJson {
  extends?: string | string[];
  compilerOptions?: {
    baseUrl?: string;
    paths?: Record<string, string[]>;
    moduleResolution?: string;
    module?: string;
    customConditions?: string[];
    resolvePackageJsonExports?: boolean;
    resolvePackageJsonImports?: boolean;
    outDir?: string;
  };
  files?: string[];
  include?: string[];
  exclude?: string[];
  references?: { path: string }[];
}

/**
 * Finds each file's nearest tsconfig.json (monorepos have one per package) and reads the
 * `extends` chain the way TypeScript does: relative or package paths, arrays, comments.
 */
export class TsconfigIndex {
  readonly problems: TsconfigProblem[] = [];
  private readonly byDir = new Map<string, TsconfigInfo | undefined>();
  private readonly parsed = new Map<string, TsconfigInfo | undefined>();
  private readonly byFile = new Map<string, TsconfigInfo | undefined>();

  /**
   * @param fallback a tsconfig used for files with no tsconfig.json between them and the root
   * @param workspaces workspace packages, so `"extends": "@org/tsconfig/base.json"` resolves without an install
   */
  constructor(
    private readonly root: string,
    private readonly fallback?: string,
    private readonly workspaces: ReadonlyMap<string, { dir: string }> = new Map(),
  ) {}

  /**
   * The project a file belongs to, as TypeScript's language service finds it: the nearest tsconfig.json,
   * or, when that one does not hold the file and has `references` (a solution-style tsconfig, issue 16),
   * the referenced project that holds it, else a configured tsconfig that holds it (`"tsconfig": "tsconfig.app.json"`).
   */
  forFile(file: string): TsconfigInfo | undefined {
    if (this.byFile.has(file)) return this.byFile.get(file);
    const nearest = this.forDir(path.dirname(file));
    let info = nearest;
    if (nearest && (nearest.references.length || this.fallback) && !nearest.owns(file)) {
      const configured = this.fallback ? this.load(this.fallback) : undefined;
      info = this.referencedOwner(nearest, file, new Set()) ?? (configured?.owns(file) ? configured : nearest);
    }
    this.byFile.set(file, info);
    return info;
  }

  private referencedOwner(info: TsconfigInfo, file: string, seen: Set<string>): TsconfigInfo | undefined {
    seen.add(info.file);
    for (const ref of info.references) {
      if (seen.has(ref)) continue;
      const child = this.load(ref);
      if (!child) continue;
      if (child.owns(file)) return child;
      const deeper = child.references.length ? this.referencedOwner(child, file, seen) : undefined;
      if (deeper) return deeper;
    }
    return undefined;
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
    const info: TsconfigInfo | undefined = chain && { file, paths: [], references: this.referencesOf(file), owns: ownership(chain, path.dirname(file)) };
    if (info && chain) {
      const conditions = conditionsOf(chain);
      if (conditions) info.conditions = conditions;
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
    let json: TsconfigJson;
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
      this.problems.push({ file, message: 'cannot read tsconfig: "extends", "files", "include", "exclude", "references" or a resolution option in "compilerOptions" is not of the shape TypeScript reads' });
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
    for (const k of ['moduleResolution', 'module', 'customConditions', 'resolvePackageJsonExports', 'resolvePackageJsonImports'] as const) {
      if (options[k] !== undefined) (result as Record<string, unknown>)[k] = typeof options[k] === 'string' ? (options[k] as string).toLowerCase() : options[k];
    }
    // `files`, `include` and `exclude` are inherited whole, relative to the config that sets them.
    const abs = (patterns: string[]): string[] => patterns.map((p) => toPosix(path.resolve(dir, p)));
    if (json.files) result.files = abs(json.files);
    if (json.include) result.include = abs(json.include);
    if (json.exclude) result.exclude = abs(json.exclude);
    else if (options.outDir && !result.exclude) result.exclude = abs([...DEFAULT_EXCLUDE, options.outDir]);
    return result;
  }

  /** `references` are not inherited: only the file's own. */
  private referencesOf(file: string): string[] {
    let json: TsconfigJson;
    try {
      json = parseJsonc(readFileSync(file, 'utf8')) as TsconfigJson;
    } catch {
      return [];
    }
    if (!Array.isArray(json?.references)) return [];
    const dir = path.dirname(file);
    return json.references.flatMap((r) => {
      if (typeof r?.path !== 'string') return [];
      const p = path.resolve(dir, r.path);
      return [p.endsWith('.json') ? p : path.join(p, 'tsconfig.json')];
    });
  }
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** What TypeScript's include/exclude do by default, and a folder pattern (no wildcard, no extension) meaning all under it. */
const DEFAULT_EXCLUDE = ['node_modules', 'bower_components', 'jspm_packages'];
function globOf(pattern: string): string {
  const last = pattern.slice(pattern.lastIndexOf('/') + 1);
  return /[*?]/.test(last) || last.includes('.') ? pattern : `${pattern}/**/*`;
}

/** `files`, `include` and `exclude` as a predicate: `files` hold a file outright, `include` unless `exclude` drops it. */
function ownership(chain: RawChain, dir: string): (file: string) => boolean {
  const files = new Set(chain.files ?? []);
  const include = chain.include ?? (chain.files ? [] : [`${toPosix(dir)}/**/*`]);
  const exclude = chain.exclude ?? DEFAULT_EXCLUDE.map((d) => `${toPosix(dir)}/${d}`);
  const included = include.length ? picomatch(include.map(globOf)) : () => false;
  const excluded = exclude.length ? picomatch(exclude.map(globOf)) : () => false;
  return (file) => {
    const p = toPosix(file);
    return files.has(p) || (included(p) && !excluded(p));
  };
}

/** TypeScript's `getConditions` for an import, or undefined where it reads neither `exports` nor `imports`. */
function conditionsOf(chain: RawChain): string[] | undefined {
  const kind = chain.moduleResolution ?? (chain.module === 'node16' || /^node1[89]|^node20/.test(chain.module ?? '') ? 'node16' : chain.module === 'nodenext' ? 'nodenext' : chain.module && ['none', 'amd', 'umd', 'system'].includes(chain.module) ? 'classic' : 'bundler');
  const modern = kind === 'bundler' || kind === 'node16' || kind === 'nodenext';
  if (!modern && !chain.resolvePackageJsonExports && !chain.resolvePackageJsonImports) return undefined;
  if (modern && chain.resolvePackageJsonExports === false && chain.resolvePackageJsonImports === false) return undefined;
  return ['import', 'types', ...(kind === 'bundler' ? [] : ['node']), ...(chain.customConditions ?? [])];
}

const tsconfigShape = object(
  {},
  {
    extends: either(str, array(str)),
    compilerOptions: object(
      {},
      { baseUrl: str, paths: record(array(str)), moduleResolution: str, module: str, customConditions: array(str), resolvePackageJsonExports: bool, resolvePackageJsonImports: bool, outDir: str },
    ),
    files: array(str),
    include: array(str),
    exclude: array(str),
    references: array(object({ path: str })),
  },
) as (v: unknown) => v is TsconfigJson;

function definedOnly(chain: RawChain): RawChain {
  const out: RawChain = {};
  for (const [k, v] of Object.entries(chain)) if (v !== undefined && k !== 'pathsBase') (out as Record<string, unknown>)[k] = v;
  if (chain.paths && chain.pathsBase) out.pathsBase = chain.pathsBase;
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
