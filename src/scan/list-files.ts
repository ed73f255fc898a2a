import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,mts,cts}'];
export const DEFAULT_EXCLUDE = ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts'];
/** Folders never walked into: dependencies, VCS data, our own cache. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.ssot-cache']);

export interface ListOptions {
  include?: string[];
  exclude?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Absolute folders never walked into (the cache folder, wherever it is). */
  skipDirs?: readonly string[];
}

/** A file selected for analysis: absolute path and POSIX path relative to the root. */
export interface ListedFile {
  abs: string;
  rel: string;
}

export interface Listing {
  /** Files to analyse, sorted by relative path. */
  files: ListedFile[];
  /** Every file walked, analysed or not (module resolution may land on any of them). */
  seen: string[];
  /** Every folder walked, root-relative ('' for the root): a file missing from `seen` in one of them does not exist. */
  dirs: string[];
  /** tsconfig*.json, package.json and pnpm-workspace.yaml files: their contents steer resolution. */
  resolutionInputs: ListedFile[];
}

const RESOLUTION_INPUT = /^(tsconfig.*\.json|jsconfig\.json|package\.json|pnpm-workspace\.yaml)$/;

interface IgnoreScope {
  dirRel: string;
  ig: Ignore;
}

/**
 * Walks the root and returns the files to analyse, sorted by relative path. Symlinked folders are
 * followed once (their real path is remembered, so loops terminate); node_modules and gitignored paths are skipped.
 */
export function listFiles(root: string, options: ListOptions = {}): Listing {
  const include = picomatch(options.include?.length ? options.include : DEFAULT_INCLUDE, { dot: false });
  const exclude = picomatch([...DEFAULT_EXCLUDE, ...(options.exclude ?? [])], { dot: true });
  const useGitignore = options.gitignore !== false;
  const out: ListedFile[] = [];
  const seen: string[] = [];
  const dirs: string[] = [];
  const resolutionInputs: ListedFile[] = [];
  const visited = new Set<string>();
  const skipDirs = new Set((options.skipDirs ?? []).map((d) => path.resolve(d)));

  // Plain folders cannot loop; only symlinked ones can. A symlinked folder is walked once, and not at
  // all when it points back into the root (its files are listed under their real paths already).
  const rootReal = realpathSync(root);
  const walk = (dirAbs: string, dirRel: string, scopes: IgnoreScope[]): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch {
      return;
    }
    dirs.push(dirRel);
    let local = scopes;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        local = [...scopes, { dirRel, ig: ignore().add(readFileSync(path.join(dirAbs, '.gitignore'), 'utf8')) }];
      } catch {
        /* unreadable .gitignore: walk as if absent */
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const abs = path.join(dirAbs, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED.has(e.name) || skipDirs.has(abs) || ignored(local, rel, true)) continue;
        if (e.isSymbolicLink()) {
          let real: string;
          try {
            real = realpathSync(abs);
          } catch {
            continue;
          }
          if (real === rootReal || real.startsWith(rootReal + path.sep) || visited.has(real)) continue;
          visited.add(real);
        }
        walk(abs, rel, local);
      } else if (isFile) {
        seen.push(rel);
        if (RESOLUTION_INPUT.test(e.name)) resolutionInputs.push({ abs, rel });
        if (include(rel) && !exclude(rel) && !ignored(local, rel, false)) out.push({ abs, rel });
      }
    }
  };
  walk(root, '', []);
  return { files: out, seen, dirs, resolutionInputs };
}

function ignored(scopes: IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (const { dirRel, ig } of scopes) {
    const sub = dirRel ? rel.slice(dirRel.length + 1) : rel;
    if (ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}
