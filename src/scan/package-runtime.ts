import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJsonc } from './parse-jsonc.js';
import { SERVER_MODULES } from './server-modules.js';

/**
 * Where a package's code runs, as far as its package.json and tsconfig say:
 * - `server`: it depends on or imports a server framework, depends on a package that does, or is a
 *   runtime dependency of one (request-handling code can reach it);
 * - `browser`: its tsconfig targets the DOM and the file's folder (the package's first-level folder:
 *   app/ beside server/) imports no server framework (one user per process: no state shared between
 *   users), even when a server package bundles or serves it;
 * - `other`: neither (command-line tools, build scripts): no request reaches it.
 * Read from package.json and tsconfig files, part of the scan's resolution environment, and from the
 * files' `server-import` facts, kept with their module state: a cached result is never reused across a
 * change to either (issue 18, item 7). Folders with a package.json or an Nx project.json are packages.
 */
export type Runtime = 'server' | 'browser' | 'other';


interface PackageInfo {
  /** Root-relative folder ('' for the root). */
  dir: string;
  name?: string;
  /** `dependencies` and `peerDependencies`: what runs with it (a server framework among `devDependencies` is a dev server or a test's). */
  deps: string[];
  /** `devDependencies` too: which workspace packages it builds on. */
  allDeps: string[];
  dom: boolean;
  /** An Nx project (project.json, no package.json): the root's package.json declares its dependencies with everyone else's. */
  inherits?: boolean;
}

export interface RuntimeIndex {
  /** Where the file's package runs. */
  runtimeOf(rel: string): Runtime;
  /** Whether any package depends on a server framework itself: without one, nothing tells request handling apart. */
  anyServer: boolean;
}

/**
 * Runtimes of the packages that hold `files` (root-relative); `packageDirs` are the workspace packages'
 * folders by name; `importsServer` says whether a file imports a server package (its `server-import` facts).
 */
export function runtimeIndex(root: string, packageDirs: ReadonlyMap<string, string>, files: Iterable<string>, importsServer: (rel: string) => boolean): RuntimeIndex {
  const infoByDir = new Map<string, PackageInfo>();
  const nearestByDir = new Map<string, PackageInfo>();
  const byName = new Map<string, string>([...packageDirs].map(([name, dir]) => [name, path.relative(root, dir).split(path.sep).join('/')]));
  const info = (dir: string): PackageInfo => {
    let hit = infoByDir.get(dir);
    if (!hit) infoByDir.set(dir, (hit = readPackage(root, dir)));
    return hit;
  };
  const nearest = (dir: string): PackageInfo => {
    let hit = nearestByDir.get(dir);
    if (!hit) nearestByDir.set(dir, (hit = dir === '' || isPackage(root, dir) ? info(dir) : nearest(parent(dir))));
    return hit;
  };
  const packageOf = new Map<string, PackageInfo>();
  const serving = new Set<string>();
  // A package that targets the DOM is told apart folder by folder (its first folders): a full-stack
  // package keeps its UI in app/ and its server in server/ under one package.json and one tsconfig.
  const unitOf = (file: string, p: PackageInfo): string => `${p.dir}\0${file.slice(p.dir ? p.dir.length + 1 : 0).split('/')[0]}`;
  const servingUnits = new Set<string>();
  for (const file of files) {
    const p = nearest(parent(file));
    packageOf.set(file, p);
    if (!importsServer(file)) continue;
    serving.add(p.dir);
    servingUnits.add(unitOf(file, p));
  }
  for (const dir of byName.values()) info(dir);

  // An Nx project (no package.json of its own) is told by its files' imports alone: the root declares every project's dependencies.
  const core = (p: PackageInfo): boolean => serving.has(p.dir) || (!p.inherits && p.deps.some((d) => SERVER_MODULES.has(d)));
  const workspace = (names: string[], self: string): PackageInfo[] => names.flatMap((d) => (byName.has(d) && byName.get(d) !== self ? [info(byName.get(d)!)] : []));
  const dependsOnServer = new Set<string>();
  const serverDependency = new Set<string>();
  // Fixed points over the workspace dependency graph: one node per package, a few passes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of [...infoByDir.values()]) {
      if (!dependsOnServer.has(p.dir) && (core(p) || workspace(p.allDeps, p.dir).some((d) => dependsOnServer.has(d.dir)))) {
        dependsOnServer.add(p.dir);
        changed = true;
      }
      if (!core(p) && !serverDependency.has(p.dir)) continue;
      for (const d of workspace(p.deps, p.dir)) {
        if (serverDependency.has(d.dir)) continue;
        serverDependency.add(d.dir);
        changed = true;
      }
    }
  }
  const anyServer = [...infoByDir.values()].some(core);
  return {
    runtimeOf(file: string): Runtime {
      const p = packageOf.get(file) ?? nearest(parent(file));
      // A DOM package is served or bundled by a server (admin-bundler -> dashboard), not run per request;
      // only its folders that import a server framework handle requests.
      if (p.dom) return servingUnits.has(unitOf(file, p)) ? 'server' : 'browser';
      if (!anyServer) return 'other';
      return dependsOnServer.has(p.dir) || serverDependency.has(p.dir) ? 'server' : 'other';
    },
    anyServer,
  };
}

function isPackage(root: string, dir: string): boolean {
  return existsSync(path.join(root, dir, 'package.json')) || existsSync(path.join(root, dir, 'project.json'));
}

function readPackage(root: string, dir: string): PackageInfo {
  let name: string | undefined;
  let deps: string[] = [];
  let allDeps: string[] = [];
  const json = readJson(path.join(root, dir, 'package.json')) as { name?: unknown; dependencies?: object; devDependencies?: object; peerDependencies?: object } | undefined;
  if (json) {
    if (typeof json.name === 'string') name = json.name;
    const keys = (d: unknown): string[] => (d && typeof d === 'object' ? Object.keys(d) : []);
    deps = [...keys(json.dependencies), ...keys(json.peerDependencies)];
    allDeps = [...deps, ...keys(json.devDependencies)];
  }
  const dom = domOf(root, dir);
  return { dir, ...(name ? { name } : {}), deps, allDeps, dom, ...(!json && dir !== '' && existsSync(path.join(root, dir, 'project.json')) ? { inherits: true } : {}) };
}

/**
 * Whether the tsconfig that checks a package's folder targets the DOM: its own (`tsconfig.json`, `.app`, `.lib`),
 * or, without one, the nearest one above it (issue 18: excalidraw-app has a package.json and no tsconfig; the
 * root's, with `lib: ["dom"]`, checks it).
 */
function domOf(root: string, dir: string): boolean {
  const own = ['tsconfig.json', 'tsconfig.app.json', 'tsconfig.lib.json'].map((f) => path.join(root, dir, f)).filter((f) => existsSync(f));
  if (own.length) return own.some((f) => targetsDom(f));
  return dir === '' ? false : domOf(root, parent(dir));
}

/**
 * Whether a tsconfig's `lib` (after its relative `extends`) names the DOM; with no `lib`, whether it
 * compiles JSX (a UI package). A package without a tsconfig does not target the DOM as far as we know.
 */
function targetsDom(file: string, depth = 0): boolean {
  const options = compilerOptions(file, depth);
  if (!options) return false;
  if (Array.isArray(options.lib)) return options.lib.some((l) => typeof l === 'string' && /^dom\b/i.test(l));
  return options.jsx !== undefined;
}

function compilerOptions(file: string, depth: number): { lib?: unknown; jsx?: unknown } | undefined {
  if (depth > 8) return undefined;
  const json = readJson(file) as { extends?: unknown; compilerOptions?: { lib?: unknown; jsx?: unknown } } | undefined;
  if (!json) return undefined;
  const own = json.compilerOptions ?? {};
  const bases = (Array.isArray(json.extends) ? json.extends : [json.extends]).filter((e): e is string => typeof e === 'string' && e.startsWith('.'));
  let merged: { lib?: unknown; jsx?: unknown } = {};
  for (const base of bases) {
    const abs = path.resolve(path.dirname(file), base);
    merged = { ...merged, ...compilerOptions(abs.endsWith('.json') ? abs : `${abs}.json`, depth + 1) };
  }
  return { ...merged, ...('lib' in own ? { lib: own.lib } : {}), ...('jsx' in own ? { jsx: own.jsx } : {}) };
}

function readJson(file: string): unknown {
  try {
    return parseJsonc(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parent(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}
