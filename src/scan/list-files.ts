import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { OmittedGroup } from '../types.js';
import { outerIgnores } from './git-ignores.js';
import { outputDirs } from './output-dirs.js';

/**
 * `ignore` is loaded on first use (`require` keeps it after that): a walk that reuses every folder of
 * the last listing parses no .gitignore, and start-up is 30 ms shorter without it.
 */
const require = createRequire(import.meta.url);
const ignore = (): Ignore => (require('ignore') as () => Ignore)();

/**
 * What a project compiles or runs (issue 16): TypeScript and JavaScript in every module flavour,
 * declaration files written by hand, and the script blocks of Vue, Svelte and Astro components
 * (sfc-blocks.ts). Dot-folders (.storybook, .config, .github/scripts) are walked like any other.
 */
export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,vue,svelte,astro}'];
/**
 * Folders never walked into, wherever they are: dependencies, version control data, and the caches
 * and generated output of tools (ours, Next, Nuxt, Nitro, Turborepo, Nx, SvelteKit, Astro, Parcel,
 * Angular, Docusaurus, Vercel, Netlify, Expo, Wrangler, Yarn, pnpm, nyc, the generic `.cache`).
 */
const ALWAYS_SKIPPED: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', '.ssot-cache',
  '.next', '.nuxt', '.output', '.turbo', '.nx', '.svelte-kit', '.astro', '.parcel-cache', '.angular', '.docusaurus',
  '.vercel', '.netlify', '.expo', '.wrangler', '.cache', '.yarn', '.pnpm-store', '.nyc_output',
]);
/**
 * Minified JavaScript: one line of bundler output, no code a team migrates by hand. Left out by name
 * and counted (`minified`); a bundle not named so is caught by the size limit (read-source.ts) or,
 * under a tsconfig's outDir, as `generated`.
 */
const MINIFIED = /\.min\.[cm]?js$/;
/** Compiler output under an outDir: declarations and JavaScript (a `.ts` there is a source someone put there). */
const COMPILER_OUTPUT = /\.(d\.[cm]?ts|[cm]?jsx?)$/;
/** Paths kept per category of what was left out: the count is always exact. */
const OMITTED_PATHS = 100;

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
  /** What could hold code and was left out (folders that cannot be read, dangling links, compiler output, minified files), by category. */
  omitted: OmittedGroup[];
}

const RESOLUTION_INPUT = /^(tsconfig.*\.json|jsconfig\.json|package\.json|pnpm-workspace\.yaml)$/;

interface IgnoreScope {
  /** The folder the patterns are relative to, relative to the work tree's top (or the root outside git). */
  dirTop: string;
  /** Built on first use: a walk that reuses every folder from the previous listing never parses a .gitignore. */
  ig: () => Ignore | undefined;
}

/**
 * One folder as the last walk classified it, reused while the folder's mtime (which changes when an
 * entry is added, removed or renamed) stays the same: files seen, files listed for analysis,
 * resolution inputs, and subfolders walked. Folders with symbolic links are never reused.
 */
type CachedDir = [mtimeMs: number, entries: [name: string, kind: EntryKind][], gitignore: 0 | 1];
/** Bits: a file seen, listed for analysis, a resolution input; or a subfolder walked. */
type EntryKind = number;
const SEEN = 1;
const LISTED = 2;
const INPUT = 4;
const SUBDIR = 8;

/** The previous walk's folders, valid for one set of options and unchanged .gitignore files. */
export interface ListingCache {
  key: string;
  savedAt: number;
  /** Every .gitignore that steered the walk: size and mtime. */
  gitignores: Record<string, [number, number]>;
  dirs: Record<string, CachedDir>;
}

/** Folders whose mtime is this close to the cache's write time may have changed unseen: read them again. */
const RACY_MS = 2000;

/**
 * Walks the root and returns the files to analyse, sorted by relative path. Symlinked folders are
 * followed once (their real path is remembered, so loops terminate); node_modules and gitignored paths are skipped.
 */
export function listFiles(root: string, options: ListOptions = {}, cache?: { previous?: ListingCache; save: (next: ListingCache) => void }): Listing {
  const include = picomatch(options.include?.length ? options.include : DEFAULT_INCLUDE, { dot: true });
  const exclude = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : (): boolean => false;
  const useGitignore = options.gitignore !== false;
  // git applies the ignore files above the scanned folder too: scanning pkg/ must leave out what the
  // repository's .gitignore, info/exclude and the user's excludes file leave out.
  const outer = useGitignore ? outerIgnores(path.resolve(root)) : { prefix: '', files: [], watched: [] };
  const topRel = (rel: string): string => (outer.prefix ? (rel ? `${outer.prefix}/${rel}` : outer.prefix) : rel);
  const unreadableDirs: string[] = [];
  const danglingLinks: string[] = [];
  const out: ListedFile[] = [];
  const seen: string[] = [];
  const dirs: string[] = [];
  const resolutionInputs: ListedFile[] = [];
  const visited = new Set<string>();
  const skipDirs = new Set((options.skipDirs ?? []).map((d) => path.resolve(d)));

  // Plain folders cannot loop; only symlinked ones can. A symlinked folder is walked once, and not at
  // all when it points back into the root (its files are listed under their real paths already).
  const rootReal = realpathSync(root);
  const key = JSON.stringify([options.include, options.exclude, useGitignore, [...skipDirs].sort(), outer.top ?? '', outer.prefix]);
  const previous = cache?.previous;
  const reusable = !!previous && previous.key === key && gitignoresUnchanged(root, previous);
  // Null-prototype records: folder names such as `constructor` or `__proto__` are plain keys.
  const next: ListingCache = { key, savedAt: Date.now(), gitignores: Object.create(null) as ListingCache['gitignores'], dirs: Object.create(null) as ListingCache['dirs'] };
  const own = <T>(record: Record<string, T> | undefined, k: string): T | undefined => (record && Object.hasOwn(record, k) ? record[k] : undefined);
  let changed = !reusable;
  for (const abs of outer.watched) recordGitignore(root, abs, next);
  const scope = (file: string, dirTop: string): IgnoreScope => {
    let ig: Ignore | undefined | null = null;
    return {
      dirTop,
      ig: () => {
        if (ig === null) {
          try {
            ig = ignore().add(readFileSync(file, 'utf8'));
          } catch {
            ig = undefined; // unreadable .gitignore: walk as if absent
          }
        }
        return ig;
      },
    };
  };
  const walk = (dirAbs: string, dirRel: string, scopes: IgnoreScope[], reuse: boolean): void => {
    const hit = reuse ? own(previous!.dirs, dirRel) : undefined;
    if (hit) {
      let mtimeMs = -1;
      try {
        mtimeMs = statSync(dirAbs).mtimeMs;
      } catch {
        /* gone: read below, which skips it */
      }
      if (hit[0] === mtimeMs && mtimeMs < previous!.savedAt - RACY_MS) {
        const [, cachedEntries, hasGitignore] = hit;
        next.dirs[dirRel] = hit;
        dirs.push(dirRel);
        let local = scopes;
        if (hasGitignore) {
          local = [...scopes, scope(path.join(dirAbs, '.gitignore'), topRel(dirRel))];
          const rel = dirRel ? `${dirRel}/.gitignore` : '.gitignore';
          next.gitignores[rel] = own(previous!.gitignores, rel)!;
        }
        // Replayed in the order the walk met them, so every list comes out as a fresh walk makes it.
        for (const [name, kind] of cachedEntries) {
          const rel = dirRel ? `${dirRel}/${name}` : name;
          const abs = path.join(dirAbs, name);
          if (kind & SUBDIR) {
            walk(abs, rel, local, true);
            continue;
          }
          if (kind & SEEN) seen.push(rel);
          if (kind & INPUT) resolutionInputs.push({ abs, rel });
          if (kind & LISTED) out.push({ abs, rel });
        }
        return;
      }
    }
    changed = true;
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      // A folder that vanished holds nothing; one that cannot be read may hold code: said, never dropped.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadableDirs.push(dirRel || '.');
      return;
    }
    dirs.push(dirRel);
    let local = scopes;
    const hasGitignore = useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile());
    if (hasGitignore) {
      local = [...scopes, scope(path.join(dirAbs, '.gitignore'), topRel(dirRel))];
      recordGitignore(root, dirRel ? `${dirRel}/.gitignore` : '.gitignore', next);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const entry: CachedDir = [0, [], hasGitignore ? 1 : 0];
    // A .gitignore that appeared or went away here re-classifies the whole subtree: no reuse below.
    const reuseBelow = reuse && !!own(previous!.gitignores, dirRel ? `${dirRel}/.gitignore` : '.gitignore') === hasGitignore;
    let cacheable = true;
    try {
      entry[0] = statSync(dirAbs).mtimeMs;
    } catch {
      cacheable = false;
    }
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const abs = path.join(dirAbs, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        cacheable = false;
        try {
          const st = statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          if (!ignored(local, topRel(rel), false)) danglingLinks.push(rel);
          continue;
        }
      }
      if (isDir) {
        if (ALWAYS_SKIPPED.has(e.name) || skipDirs.has(abs) || ignored(local, topRel(rel), true)) continue;
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
        entry[1].push([e.name, SUBDIR]);
        walk(abs, rel, local, reuseBelow);
      } else if (isFile) {
        let kind = SEEN;
        seen.push(rel);
        if (RESOLUTION_INPUT.test(e.name)) {
          resolutionInputs.push({ abs, rel });
          kind |= INPUT;
        }
        if (include(rel) && !exclude(rel) && !ignored(local, topRel(rel), false)) {
          out.push({ abs, rel });
          kind |= LISTED;
        }
        entry[1].push([e.name, kind]);
      }
    }
    if (cacheable) next.dirs[dirRel] = entry;
  };
  const outerScopes = outer.files.map((f) => scope(f.abs, f.dirTop));
  // A folder the repository ignores, named explicitly (a generated corpus, a vendored copy): the user
  // asked for it, so the ignore files above it do not apply (before: 'Scanned 0 files').
  const rootIgnored =
    outer.prefix !== '' &&
    outer.prefix.split('/').some((_, i, parts) => {
      const folder = parts.slice(0, i + 1).join('/');
      // Only the ignore files of folders above this one speak about it.
      return ignored(outerScopes.filter((sc) => sc.dirTop === '' || folder.startsWith(`${sc.dirTop}/`)), folder, true);
    });
  walk(root, '', rootIgnored ? [] : outerScopes, reusable);
  if (cache && changed) cache.save(next);
  const { files, generated, minified } = leaveOutOutput(out, resolutionInputs);
  const omitted: OmittedGroup[] = [];
  const group = (reason: OmittedGroup['reason'], paths: string[]): void => {
    if (paths.length) omitted.push({ reason, count: paths.length, paths: paths.slice(0, OMITTED_PATHS) });
  };
  group('unreadable-folder', unreadableDirs);
  group('dangling-symlink', danglingLinks);
  group('generated', generated);
  group('minified', minified);
  return { files, seen, dirs, resolutionInputs, omitted };
}

/** Splits off minified files and compiler output under a tsconfig's outDir or declarationDir (output-dirs.ts). */
function leaveOutOutput(listed: ListedFile[], inputs: ListedFile[]): { files: ListedFile[]; generated: string[]; minified: string[] } {
  const outDirs = outputDirs(inputs.filter((f) => /(^|\/)(tsconfig[^/]*|jsconfig)\.json$/.test(f.rel)).map((f) => f.abs));
  const files: ListedFile[] = [];
  const generated: string[] = [];
  const minified: string[] = [];
  for (const f of listed) {
    if (MINIFIED.test(f.rel)) minified.push(f.rel);
    else if (outDirs.length && COMPILER_OUTPUT.test(f.rel) && outDirs.some((d) => f.abs.startsWith(d + path.sep))) generated.push(f.rel);
    else files.push(f);
  }
  return { files, generated, minified };
}

/**
 * Records an ignore file's size and mtime (root-relative, or absolute above the root), so that editing
 * it in place invalidates the cached walk; [-1, -1] when absent, so that creating it does too.
 */
function recordGitignore(root: string, rel: string, next: ListingCache): void {
  try {
    const st = statSync(path.resolve(root, rel));
    next.gitignores[rel] = [st.size, st.mtimeMs];
  } catch {
    next.gitignores[rel] = [-1, -1];
  }
}

function gitignoresUnchanged(root: string, previous: ListingCache): boolean {
  for (const [rel, [size, mtimeMs]] of Object.entries(previous.gitignores)) {
    try {
      const st = statSync(path.resolve(root, rel));
      if (st.size !== size || st.mtimeMs !== mtimeMs || st.mtimeMs >= previous.savedAt - RACY_MS) return false;
    } catch {
      if (size !== -1) return false;
    }
  }
  return true;
}

/**
 * Whether git would ignore a path (relative to the work tree's top): the deepest ignore file with a
 * matching pattern decides, so a nested `!keep.ts` re-includes what a parent's pattern excludes.
 */
function ignored(scopes: IgnoreScope[], full: string, isDir: boolean): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const { dirTop, ig } = scopes[i]!;
    const rules = ig();
    if (!rules) continue;
    const sub = dirTop ? full.slice(dirTop.length + 1) : full;
    const verdict = rules.test(isDir ? `${sub}/` : sub);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
