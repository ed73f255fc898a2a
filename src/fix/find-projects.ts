import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ts } from '../scan/compiler.js';

/** A tsconfig project `--verify` type-checks, and the changed files it holds. */
export interface VerifyProject {
  /** Absolute path of the tsconfig. */
  tsconfig: string;
  /** Every file the project compiles (root-relative, POSIX), for blame and the timeout. */
  files: Set<string>;
  /** The changed files among them. */
  changed: string[];
  /**
   * Check it as `tsc -b` does: it references other projects, whose files it reads from their built
   * declarations, which `tsc -p` does not rebuild, so a change in a referenced project would be checked
   * against its old outputs. Only when every project it reaches writes to an `outDir` (or emits nothing).
   */
  build: boolean;
}

/** Files a type-check can cover: what tsc compiles (JavaScript only with allowJs, which the project's file list says). */
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

/**
 * The projects that hold a changed file or a file importing one, directly or not (issue 17, item 2). For each such file,
 * from its folder up to the root: `tsconfig.json` (a solution-style one by its `references`, recursively)
 * and its `tsconfig.*.json` siblings; the nearest folder where some of them include the file decides, so a
 * package's own tsconfig counts in a monorepo without a root one, and a root tsconfig that excludes a folder
 * does not stand for it. `extra` (the config's `tsconfig`) is always tried. Changed source files that no
 * project includes are `unverified`.
 */
export function findProjects(root: string, changed: string[], importers: string[], extra?: string): { projects: VerifyProject[]; unverified: string[] } {
  // What this call read of tsconfigs and folders: a later call (ssot-kit used as a library) reads them afresh.
  const parsed = new Map<string, Set<string> | null>();
  const references = new Map<string, string[]>();
  const emitsAside = new Map<string, boolean>();
  const inDir = new Map<string, string[]>();
  const filesOf = (tsconfig: string): Set<string> | null => {
    if (!parsed.has(tsconfig)) parsed.set(tsconfig, parse(tsconfig, root, references, emitsAside));
    return parsed.get(tsconfig)!;
  };
  const candidatesIn = (dir: string): string[] => {
    let found = inDir.get(dir);
    if (!found) inDir.set(dir, (found = listCandidates(dir)));
    return found;
  };
  const chosen = new Map<string, VerifyProject>();
  const changedSet = new Set(changed);
  const rootAbs = path.resolve(root);
  for (const file of [...new Set([...changed, ...importers])]) {
    if (!SOURCE.test(file)) continue;
    const found: string[] = [];
    for (let dir = path.dirname(path.join(rootAbs, file)); ; dir = path.dirname(dir)) {
      for (const tsconfig of expand(candidatesIn(dir), filesOf, references)) if (filesOf(tsconfig)?.has(file)) found.push(tsconfig);
      if (found.length || dir === rootAbs || path.dirname(dir) === dir || !dir.startsWith(rootAbs)) break;
    }
    if (extra && filesOf(extra)?.has(file) && !found.includes(extra)) found.push(extra);
    for (const tsconfig of found) {
      const p = chosen.get(tsconfig) ?? { tsconfig, files: filesOf(tsconfig)!, changed: [], build: buildable(tsconfig, filesOf, references, emitsAside) };
      if (changedSet.has(file)) p.changed.push(file);
      chosen.set(tsconfig, p);
    }
  }
  const projects = [...chosen.values()].sort((a, b) => (a.tsconfig < b.tsconfig ? -1 : 1));
  for (const p of projects) p.changed.sort();
  const covered = new Set(projects.flatMap((p) => p.changed));
  return { projects, unverified: changed.filter((f) => SOURCE.test(f) && !covered.has(f)).sort() };
}

/** `tsconfig.json` first, then `tsconfig.*.json` (tsconfig.app.json, tsconfig.build.json…) in `dir`. */
function listCandidates(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n === 'tsconfig.json' || /^tsconfig\..+\.json$/.test(n)).sort((a, b) => (a === 'tsconfig.json' ? -1 : b === 'tsconfig.json' ? 1 : a < b ? -1 : 1)).map((n) => path.join(dir, n));
}

/** The tsconfigs and every project they reference, transitively. */
function expand(tsconfigs: string[], filesOf: (t: string) => Set<string> | null, references: ReadonlyMap<string, string[]>): string[] {
  const out: string[] = [];
  const visit = (t: string): void => {
    if (out.includes(t) || !existsSync(t)) return;
    out.push(t);
    if (filesOf(t) === null) return;
    for (const ref of references.get(t) ?? []) visit(ref);
  };
  tsconfigs.forEach(visit);
  return out;
}

/** Whether `tsconfig` has references and it and every project they reach, transitively, can be built without writing beside the sources. */
function buildable(tsconfig: string, filesOf: (t: string) => Set<string> | null, references: ReadonlyMap<string, string[]>, emitsAside: ReadonlyMap<string, boolean>): boolean {
  filesOf(tsconfig);
  if (!(references.get(tsconfig) ?? []).length) return false;
  const closure = expand([tsconfig], filesOf, references);
  return closure.every((t) => filesOf(t) !== null && emitsAside.get(t) === true);
}

/**
 * A tsconfig's files (root-relative), or null when it cannot be read; its references are kept in
 * `references`, and in `emitsAside` whether it writes no output beside its sources (outDir, or noEmit).
 */
function parse(tsconfig: string, root: string, references: Map<string, string[]>, emitsAside: Map<string, boolean>): Set<string> | null {
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error || typeof read.config !== 'object' || read.config === null) return null;
  const dir = path.dirname(tsconfig);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, tsconfig);
  const o = parsed.options;
  emitsAside.set(tsconfig, parsed.fileNames.length === 0 || o.noEmit === true || o.outDir !== undefined || (o.emitDeclarationOnly === true && o.declarationDir !== undefined));
  references.set(tsconfig, (parsed.projectReferences ?? []).map((r) => {
    const p = path.resolve(dir, r.path);
    return existsSync(p) && statSync(p).isDirectory() ? path.join(p, 'tsconfig.json') : p;
  }));
  return new Set(parsed.fileNames.map((f) => path.relative(root, path.resolve(f)).split(path.sep).join('/')));
}
