import { statSync } from 'node:fs';
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
  private readonly memo = new Map<string, Resolution>();
  private readonly statMemo = new Map<string, boolean>();

  /**
   * @param knownFiles absolute paths of files known to exist
   * @param listedDirs absolute folders whose every file is in `knownFiles`: misses there need no system call
   */
  constructor(
    private readonly knownFiles: ReadonlySet<string>,
    private readonly tsconfigs: TsconfigIndex,
    private readonly workspaces: ReadonlyMap<string, WorkspacePackage>,
    private readonly listedDirs: ReadonlySet<string> = new Set(),
  ) {}

  resolve(fromFile: string, specifier: string): Resolution {
    const dir = path.dirname(fromFile);
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    // A relative specifier depends on the folder; a bare one only on the file's tsconfig (paths,
    // baseUrl) and the workspaces, so it is resolved once per tsconfig, not once per folder.
    const key = relative ? `${dir}\0${specifier}` : `${this.tsconfigs.forFile(fromFile)?.file ?? ''}\0${specifier}`;
    let result = this.memo.get(key);
    if (!result) {
      result = relative ? this.fileResult(this.probe(path.resolve(dir, specifier))) : this.resolveBare(fromFile, specifier);
      this.memo.set(key, result);
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
          const file = this.probe(target.replace('*', star));
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

  /** The file a path denotes, trying TypeScript's extension substitutions and directory indexes. */
  probe(p: string): string | undefined {
    const ext = path.extname(p);
    if (ext === '.ts' || ext === '.tsx' || ext === '.mts' || ext === '.cts') {
      if (this.exists(p)) return p;
    }
    const subs = JS_TO_TS[ext];
    if (subs) {
      const stem = p.slice(0, -ext.length);
      for (const s of subs) if (this.exists(stem + s)) return stem + s;
    }
    for (const e of TS_EXTENSIONS) if (this.exists(p + e)) return p + e;
    if (ext && this.exists(p)) return p;
    for (const e of TS_EXTENSIONS) {
      const index = path.join(p, `index${e}`);
      if (this.exists(index)) return index;
    }
    return undefined;
  }

  private exists(file: string): boolean {
    if (this.knownFiles.has(file)) return true;
    if (this.listedDirs.has(path.dirname(file))) return false;
    let ok = this.statMemo.get(file);
    if (ok === undefined) {
      try {
        ok = statSync(file).isFile();
      } catch {
        ok = false;
      }
      this.statMemo.set(file, ok);
    }
    return ok;
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
