import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { conditionalTarget, mapTarget } from './package-map.js';
import type { TsconfigIndex, TsconfigInfo } from './tsconfig-index.js';
import { exportTarget, type WorkspacePackage } from './workspace-index.js';

export type Resolution =
  | { kind: 'file'; file: string }
  /** A package outside the repository's source; `installed` when a node_modules folder up the tree holds it (or its `@types`). */
  | { kind: 'external'; packageName: string; installed: boolean }
  /** A relative path, an alias (`paths`, package.json `imports`) or a workspace package subpath that names no file. */
  | { kind: 'unresolved' };

const TS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx', '.d.ts'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};
const BUILTINS = new Set(builtinModules);

/**
 * Resolves module specifiers to files the way TypeScript's bundler/node resolution does for source
 * in the repository: relative paths with extension probing (`.js` written for `.ts`), directory
 * indexes, tsconfig `paths`/`baseUrl` of the file's own project (`references` followed, issue 16),
 * package.json `imports`, and workspace packages by name, to their source, installed or not.
 * Anything else is an external package. It knows the scanned files, so most probes are set look-ups.
 * scripts/check-resolution.mjs compares it with TypeScript's `resolveModuleName` on a real repository.
 */
export class ModuleResolver {
  /** Resolutions by folder (relative specifiers) or tsconfig (bare ones), then by specifier. */
  private readonly memo = new Map<string, Map<string, Resolution>>();
  /**
   * The file names in each folder: from the listing for the folders it walked, read once for any other
   * folder a probe lands in (null: no such folder). A probe is then a set look-up of a short name,
   * and a folder outside the walk (a `dist/`, a gitignored one) costs one `readdir`, not a `stat` per candidate.
   */
  private readonly names = new Map<string, Set<string> | null>();
  private lastFrom = '';
  private lastDir = '';
  private lastScope = '';
  private lastTsconfig: TsconfigInfo | undefined;
  /** package.json of a folder, parsed (null: none or unreadable). */
  private readonly packageJson = new Map<string, Record<string, unknown> | null>();
  private readonly installedMemo = new Map<string, boolean>();

  /**
   * @param root the scanned root
   * @param seen root-relative paths (`/` separators) of every file the walk saw
   * @param dirs root-relative folders the walk read entirely ('' for the root)
   */
  constructor(
    root: string,
    seen: readonly string[],
    dirs: readonly string[],
    private readonly tsconfigs: TsconfigIndex,
    private readonly workspaces: ReadonlyMap<string, WorkspacePackage>,
  ) {
    const byRel = new Map<string, Set<string>>();
    for (const d of dirs) {
      const set = new Set<string>();
      byRel.set(d, set);
      this.names.set(d ? path.join(root, d) : root, set);
    }
    // Every seen file is in a walked folder; any other folder is read when a probe lands in it.
    for (const rel of seen) {
      const slash = rel.lastIndexOf('/');
      byRel.get(slash < 0 ? '' : rel.slice(0, slash))?.add(rel.slice(slash + 1));
    }
  }

  resolve(fromFile: string, specifier: string): Resolution {
    if (fromFile !== this.lastFrom) {
      this.lastFrom = fromFile;
      this.lastDir = path.dirname(fromFile);
      this.lastTsconfig = this.tsconfigs.forFile(fromFile);
      this.lastScope = `\0${this.lastTsconfig?.file ?? ''}`;
    }
    const dir = this.lastDir;
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    // A relative specifier depends on the folder; a bare one only on the file's tsconfig (paths,
    // baseUrl) and the workspaces, so it is resolved once per tsconfig, not once per folder;
    // `#imports` also on the package.json that holds the file.
    const scope = relative ? dir : specifier.startsWith('#') ? `${this.lastScope}\0${this.packageScope(dir) ?? ''}` : this.lastScope;
    let bySpecifier = this.memo.get(scope);
    if (!bySpecifier) this.memo.set(scope, (bySpecifier = new Map()));
    let result = bySpecifier.get(specifier);
    if (!result) {
      result = relative ? this.fileResult(this.probe(path.resolve(dir, specifier))) : this.resolveBare(dir, specifier, this.lastTsconfig, 0);
      bySpecifier.set(specifier, result);
    }
    return result;
  }

  private fileResult(file: string | undefined): Resolution {
    return file ? { kind: 'file', file } : { kind: 'unresolved' };
  }

  private resolveBare(dir: string, specifier: string, tsconfig: TsconfigInfo | undefined, depth: number): Resolution {
    if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return { kind: 'external', packageName: specifier.replace(/^node:/, ''), installed: true };
    /** An alias named it: if nothing else resolves it, it is unresolved, not a package (`@/missing` is no package). */
    let aliased = false;
    if (tsconfig) {
      for (const p of tsconfig.paths) {
        const matches = p.wildcard
          ? specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix) && specifier.length >= p.prefix.length + p.suffix.length
          : specifier === p.prefix;
        if (!matches) continue;
        const star = p.wildcard ? specifier.slice(p.prefix.length, specifier.length - p.suffix.length) : '';
        for (const target of p.targets) {
          const file = this.probe(path.resolve(target.replace('*', star)));
          if (file) return { kind: 'file', file };
        }
        aliased = p.prefix !== '' || p.suffix !== '';
        break; // TypeScript tries only the longest matching pattern
      }
      if (tsconfig.baseUrl) {
        const file = this.probe(path.join(tsconfig.baseUrl, specifier));
        if (file) return { kind: 'file', file };
      }
    }
    if (specifier.startsWith('#')) return this.resolveImports(dir, specifier, tsconfig, depth);
    const packageName = packageNameOf(specifier);
    const ws = this.workspaces.get(packageName);
    if (ws) return this.fileResult(this.resolveWorkspace(ws, specifier.slice(packageName.length)));
    if (aliased) return { kind: 'unresolved' };
    return { kind: 'external', packageName, installed: this.installed(dir, packageName) };
  }

  /** package.json `imports` of the package that holds the folder, with the project's conditions (TypeScript reads them only under node16, nodenext and bundler). */
  private resolveImports(dir: string, specifier: string, tsconfig: TsconfigInfo | undefined, depth: number): Resolution {
    const scope = this.packageScope(dir);
    const imports = scope && this.packageJson.get(scope)?.imports;
    if (!tsconfig?.conditions || !imports || typeof imports !== 'object' || Array.isArray(imports) || depth > 4) return { kind: 'unresolved' };
    const conditions = new Set(tsconfig.conditions);
    const target = mapTarget(imports as Record<string, unknown>, specifier, (v) => conditionalTarget(v, conditions));
    if (!target) return { kind: 'unresolved' };
    if (target.startsWith('./')) return this.fileResult(this.probe(path.resolve(scope, target)));
    return target.startsWith('.') || target.startsWith('/') || target.startsWith('#') ? { kind: 'unresolved' } : this.resolveBare(scope, target, tsconfig, depth + 1);
  }

  /** The folder of the nearest package.json at or above a folder, from the listing (no system call for walked folders). */
  private packageScope(dir: string): string | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
      const cached = this.packageJson.get(d);
      if (cached) return d;
      if (cached === undefined && this.namesIn(d)?.has('package.json')) {
        if (this.readPackageJson(d)) return d;
      } else this.packageJson.set(d, null);
      if (path.dirname(d) === d) return undefined;
    }
  }

  /** A folder's package.json, parsed once (null: unreadable or not an object). */
  private readPackageJson(dir: string): Record<string, unknown> | null {
    let json = this.packageJson.get(dir);
    if (json !== undefined) return json;
    json = null;
    try {
      const parsed: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      /* unreadable: as if absent */
    }
    this.packageJson.set(dir, json);
    return json;
  }

  /** Whether a node_modules folder at or above the file's package holds the package or its `@types` (counted, not listed, when not). */
  private installed(dir: string, packageName: string): boolean {
    return this.installedAt(this.packageScope(dir) ?? dir, packageName);
  }

  private installedAt(d: string, packageName: string): boolean {
    const key = `${d}\0${packageName}`;
    let hit = this.installedMemo.get(key);
    if (hit !== undefined) return hit;
    let modules = this.installedMemo.get(d);
    if (modules === undefined) this.installedMemo.set(d, (modules = existsSync(path.join(d, 'node_modules'))));
    const types = `@types/${packageName.startsWith('@') ? packageName.slice(1).replace('/', '__') : packageName}`;
    hit =
      (modules && (existsSync(path.join(d, 'node_modules', packageName)) || existsSync(path.join(d, 'node_modules', types)))) ||
      (path.dirname(d) !== d && this.installedAt(path.dirname(d), packageName));
    this.installedMemo.set(key, hit);
    return hit;
  }

  private resolveWorkspace(pkg: WorkspacePackage, rest: string): string | undefined {
    const subpath = rest ? `.${rest}` : '.';
    const candidates: string[] = [];
    const target = exportTarget(pkg.exports, subpath);
    if (target) candidates.push(target);
    if (subpath === '.') candidates.push(...pkg.entries, 'src/index', 'index');
    else candidates.push(subpath, `src/${rest.slice(1)}`);
    for (const c of candidates) {
      const abs = path.resolve(pkg.dir, c);
      const file = this.probe(abs) ?? this.probe(toSourcePath(abs));
      if (file) return file;
    }
    return undefined;
  }

  /** The file a normalized absolute path denotes, trying TypeScript's extension substitutions and directory indexes. */
  probe(p: string, depth = 0): string | undefined {
    const dir = path.dirname(p);
    const base = path.basename(p);
    const names = this.namesIn(dir);
    const ext = path.extname(base);
    if (names) {
      if (ext === '.ts' || ext === '.tsx' || ext === '.mts' || ext === '.cts') {
        if (names.has(base)) return p;
      }
      const subs = JS_TO_TS[ext];
      if (subs) {
        const stem = base.slice(0, -ext.length);
        for (const s of subs) if (names.has(stem + s)) return p.slice(0, -ext.length) + s;
      }
      for (const e of TS_EXTENSIONS) if (names.has(base + e)) return p + e;
      if (ext && names.has(base)) return p;
    }
    const inside = this.namesIn(p);
    if (inside) {
      // A folder with a package.json: its `types`, `typings` or `main` first, as TypeScript reads a folder.
      if (depth < 2 && inside.has('package.json')) {
        const pkg = this.readPackageJson(p);
        for (const field of ['types', 'typings', 'main']) {
          const entry = pkg?.[field];
          if (typeof entry !== 'string' || !entry) continue;
          const file = this.probe(path.resolve(p, entry), depth + 1);
          if (file) return file;
        }
      }
      for (const e of TS_EXTENSIONS) if (inside.has(`index${e}`)) return path.join(p, `index${e}`);
    }
    return undefined;
  }

  /** The names of the files in a folder (links to files included), or null when it is not a readable folder. */
  private namesIn(dir: string): Set<string> | null {
    let names = this.names.get(dir);
    if (names !== undefined) return names;
    names = this.readNames(dir);
    this.names.set(dir, names);
    return names;
  }

  private readNames(dir: string): Set<string> | null {
    // Under a folder known not to exist, nothing exists: no system call.
    if (this.names.get(path.dirname(dir)) === null) return null;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return null;
    }
    const names = new Set<string>();
    for (const e of entries) {
      if (e.isFile()) names.add(e.name);
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(path.join(dir, e.name)).isFile()) names.add(e.name);
        } catch {
          /* dangling link */
        }
      }
    }
    return names;
  }
}

/** `@scope/pkg/sub` -> `@scope/pkg`; `pkg/sub` -> `pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Built output path -> its likely source (`dist/x.js` -> `src/x`), for workspace packages built in place. */
function toSourcePath(p: string): string {
  return p.replace(/([/\\])(dist|lib|build|out)([/\\])/, '$1src$3').replace(/(\.d)?\.(m|c)?js$|\.d\.ts$/, '');
}
