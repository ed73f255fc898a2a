import { readdirSync, statSync, type Dirent } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { TsconfigIndex } from './tsconfig-index.js';
import { exportTarget, type WorkspacePackage } from './workspace-index.js';

export type Resolution =
  | { kind: 'file'; file: string }
  | { kind: 'external'; packageName: string }
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
 * indexes, tsconfig `paths`/`baseUrl` of the file's nearest tsconfig, and workspace packages.
 * Anything else is an external package. It knows the scanned files, so most probes are set look-ups.
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
    }
    const dir = this.lastDir;
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    // A relative specifier depends on the folder; a bare one only on the file's tsconfig (paths,
    // baseUrl) and the workspaces, so it is resolved once per tsconfig, not once per folder.
    const scope = relative ? dir : `\0${this.tsconfigs.forFile(fromFile)?.file ?? ''}`;
    let bySpecifier = this.memo.get(scope);
    if (!bySpecifier) this.memo.set(scope, (bySpecifier = new Map()));
    let result = bySpecifier.get(specifier);
    if (!result) {
      result = relative ? this.fileResult(this.probe(path.resolve(dir, specifier))) : this.resolveBare(fromFile, specifier);
      bySpecifier.set(specifier, result);
    }
    return result;
  }

  private fileResult(file: string | undefined): Resolution {
    return file ? { kind: 'file', file } : { kind: 'unresolved' };
  }

  private resolveBare(fromFile: string, specifier: string): Resolution {
    if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return { kind: 'external', packageName: specifier.replace(/^node:/, '') };
    const tsconfig = this.tsconfigs.forFile(fromFile);
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
        break; // TypeScript tries only the longest matching pattern
      }
      if (tsconfig.baseUrl) {
        const file = this.probe(path.join(tsconfig.baseUrl, specifier));
        if (file) return { kind: 'file', file };
      }
    }
    const packageName = packageNameOf(specifier);
    const ws = this.workspaces.get(packageName);
    if (ws) {
      const file = this.resolveWorkspace(ws, specifier.slice(packageName.length));
      if (file) return { kind: 'file', file };
    }
    return { kind: 'external', packageName };
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
  probe(p: string): string | undefined {
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
