#!/usr/bin/env node
/**
 * `npm run check:resolution -- <repo> [--link-workspaces] [--limit <n>]`: resolves every module
 * reference of a repository twice, with ssot-kit's resolver and with TypeScript's own
 * `resolveModuleName` (the TypeScript 6 API the analyzer bundles), each file under the parsed tsconfig
 * of the project that holds it (its nearest tsconfig.json, or the referenced project holding it), and
 * prints the agreement and every difference (issue 16).
 *
 * Agreement: the same file; both unresolved; the same external package (TypeScript resolving into
 * node_modules); a package ssot-kit finds in no node_modules that TypeScript does not resolve either;
 * a workspace package that ssot-kit resolves to its source and TypeScript to that package's build output.
 *
 * `--link-workspaces` emulates what an install and a build leave in a fresh clone, for TypeScript only:
 * `node_modules/<name>` of each workspace package links to its folder (as npm, yarn and pnpm link
 * workspaces), and a package's `<outDir>/x.d.ts` / `.js` exist where `<rootDir>/x.ts` does (as its build
 * emits them). Without it TypeScript cannot resolve workspace packages of an uninstalled checkout at all.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const REQUIRE_KINDS = new Set(['require', 'require-resolve', 'import-equals', 'mock']);

/** `@scope/pkg/sub` -> `@scope/pkg`. */
const packageNameOf = (spec) => {
  const parts = spec.split('/');
  return spec.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
};
/** The package a path inside node_modules belongs to (`@types/x__y` read as `@x/y`). */
function packageOfModulesPath(p) {
  const rest = p.slice(p.lastIndexOf('/node_modules/') + '/node_modules/'.length);
  let name = packageNameOf(rest);
  if (name.startsWith('@types/')) {
    name = name.slice(7);
    if (name.includes('__')) name = `@${name.replace('__', '/')}`;
  }
  return name;
}

/**
 * @param deps `{ ts, scanProject }`: the compiler and the scan (from dist/ or src/)
 * @param root the repository
 * @param options `{ linkWorkspaces?: boolean, limit?: number, onReference?: (pair) => void }`: `onReference` sees
 *   each reference with both resolutions (`ours`, `tsc`: `{ file?, external?, installed? }`) and its agreement class
 */
export async function compareResolutions(deps, root, options = {}) {
  const { ts, scanProject } = deps;
  root = path.resolve(root);
  const project = await scanProject({ root, cache: false });
  const workspaces = project.packageDirs;
  const wsDirs = [...workspaces.values()];
  const host = options.linkWorkspaces ? linkedHost(ts, root, workspaces) : ts.sys;
  const parsed = new Map();
  const parse = (configFile) => {
    if (!parsed.has(configFile)) {
      const cmd = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      parsed.set(configFile, cmd && { cmd, files: new Set(cmd.fileNames.map((f) => path.resolve(f))) });
    }
    return parsed.get(configFile);
  };
  const owner = (entry, file, seen) => {
    for (const ref of entry.cmd.projectReferences ?? []) {
      const refFile = ts.resolveProjectReferencePath(ref);
      if (seen.has(refFile)) continue;
      seen.add(refFile);
      const child = parse(refFile);
      if (!child) continue;
      if (child.files.has(file)) return child;
      const deeper = owner(child, file, seen);
      if (deeper) return deeper;
    }
    return undefined;
  };
  const configFor = new Map();
  const projectOf = (file) => {
    const dir = path.dirname(file);
    let configFile = configFor.get(dir);
    if (configFile === undefined) configFor.set(dir, (configFile = ts.findConfigFile(dir, ts.sys.fileExists) ?? null));
    const nearest = configFile && parse(path.resolve(configFile));
    if (!nearest) return { options: {}, name: '(none)' };
    const entry = nearest.files.has(file) ? nearest : (owner(nearest, file, new Set([nearest.cmd.options.configFilePath])) ?? nearest);
    return { options: entry.cmd.options, name: path.relative(root, entry.cmd.options.configFilePath ?? configFile) };
  };
  const caches = new Map();
  const workspaceOf = (abs) => wsDirs.find((d) => abs.startsWith(d + path.sep));
  let total = 0;
  let agree = 0;
  const kinds = {};
  const differences = [];
  const sorted = [...project.refs.keys()].sort();
  for (const rel of options.limit ? sorted.slice(0, options.limit) : sorted) {
    const abs = path.join(root, rel);
    if (!/\.[cm]?[jt]sx?$/.test(rel)) continue;
    const proj = projectOf(abs);
    const resolution = ts.getEmitModuleResolutionKind(proj.options);
    let cache = caches.get(proj.options);
    if (!cache) caches.set(proj.options, (cache = ts.createModuleResolutionCache(root, (f) => f, proj.options)));
    const nodeMode = resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext;
    for (const r of project.refs.get(rel)) {
      const spec = r.ref.specifier;
      let mode = REQUIRE_KINDS.has(r.ref.kind) ? ts.ModuleKind.CommonJS : undefined;
      if (nodeMode && mode === undefined) mode = ts.getImpliedNodeFormatForFile(abs, undefined, host, proj.options);
      const tsr = ts.resolveModuleName(spec, abs, proj.options, host, cache, undefined, mode).resolvedModule;
      const theirs = classifyTs(tsr, root);
      const ours = r.target ? { file: path.join(root, r.target) } : r.targetAbs ? { file: r.targetAbs } : r.external ? { external: r.external, installed: !r.notInstalled } : {};
      const kind = agreement(ours, theirs, workspaceOf, spec);
      options.onReference?.({ file: rel, line: r.ref.loc.line, specifier: spec, ours, tsc: theirs, agree: kind });
      total++;
      if (kind) {
        agree++;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      } else {
        differences.push({ file: rel, line: r.ref.loc.line, specifier: spec, project: proj.name, ours: describe(ours, root), tsc: describe(theirs, root), reason: explain(ours, theirs, host) });
      }
    }
  }
  return { root, total, agree, kinds, differences, project };
}

/**
 * Why a pair differs, for the differences understood (see the README of check:resolution in the
 * header); undefined for one that is not.
 */
function explain(ours, theirs, host) {
  if (ours.file && !theirs.file && !ours.external) {
    if (!/\.([cm]?[jt]sx?|json)$/.test(ours.file)) return 'a file that is no module (stylesheet, image, component): ssot-kit resolves it to the file, TypeScript resolves only module extensions';
    if (/\.json$/.test(ours.file)) return 'a JSON file: TypeScript resolves it only with resolveJsonModule';
    if (/\.[cm]?jsx?$/.test(ours.file)) return 'a JavaScript source without declarations: TypeScript resolves it only with allowJs';
    if (!host.emulated) return 'a workspace package this checkout has not installed: TypeScript finds none without node_modules (rerun with --link-workspaces)';
    return 'a workspace package subpath TypeScript maps to no file (a bundled build output of another name, an exports target without extension): ssot-kit falls back to the package source';
  }
  if (!ours.file && !ours.external && theirs.file && host !== undefined && host.emulated?.(theirs.file)) {
    return 'a relative import of a build output: no build in this checkout (TypeScript sees it only through --link-workspaces)';
  }
  return undefined;
}

function classifyTs(resolved, root) {
  if (!resolved) return {};
  const file = path.resolve(resolved.resolvedFileName);
  if (file.includes(`${path.sep}node_modules${path.sep}`)) {
    return { external: resolved.packageId?.name ?? packageOfModulesPath(file.split(path.sep).join('/')), file };
  }
  return { file };
}

/** The agreement class of a pair, or undefined for a difference. */
function agreement(ours, theirs, workspaceOf, spec) {
  if (ours.file && theirs.file && !theirs.external && ours.file === theirs.file) return 'same file';
  if (!ours.file && !ours.external && !theirs.file) return 'both unresolved';
  if (ours.external && theirs.external && (ours.external === theirs.external || ours.external === `node:${theirs.external}`)) return 'same external package';
  if (ours.external && !theirs.file && !ours.installed) return 'package not installed (neither resolves it)';
  if (ours.external && !theirs.file && BUILTINS.has(spec.replace(/^node:/, ''))) return 'node builtin, no @types/node installed';
  if (ours.file && theirs.file && !theirs.external) {
    const a = workspaceOf(ours.file);
    if (a && a === workspaceOf(theirs.file)) return 'workspace package: its source (ours) for its build output (tsc)';
  }
  return undefined;
}

const BUILTINS = new Set(builtinModules);

function describe(r, root) {
  if (r.file) return r.external ? `${r.external} (${path.relative(root, r.file)})` : path.relative(root, r.file);
  if (r.external) return `package ${r.external}${r.installed === false ? ' (not installed)' : ''}`;
  return 'unresolved';
}

/**
 * A module resolution host over the real file system, as after an install and a build: see the header.
 * Only what TypeScript's resolution asks (fileExists, directoryExists, readFile, realpath) is mapped.
 */
function linkedHost(ts, root, workspaces) {
  const links = new Map([...workspaces].map(([name, dir]) => [path.join(root, 'node_modules', name), dir]));
  const builds = [];
  for (const dir of workspaces.values()) {
    const config = path.join(dir, 'tsconfig.json');
    let outDir = path.join(dir, 'dist');
    // The sources a build reads: the tsconfig's rootDir, and src/ (packages built by a bundler keep a rootDir of '.').
    const rootDirs = new Set([path.join(dir, 'src')]);
    if (ts.sys.fileExists(config)) {
      const cmd = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      if (cmd?.options.outDir) outDir = path.resolve(cmd.options.outDir);
      if (cmd?.options.rootDir) rootDirs.add(path.resolve(cmd.options.rootDir));
    }
    for (const rootDir of rootDirs) if (rootDir !== outDir && ts.sys.directoryExists(rootDir)) builds.push({ outDir, rootDir });
  }
  const unlink = (p) => {
    for (const [link, dir] of links) if (p === link || p.startsWith(link + path.sep)) return dir + p.slice(link.length);
    return p;
  };
  /**
   * The source a build output (`.d.ts`, `.js` and their `m`/`c` forms) would come from, when it exists:
   * `<outDir>/x.d.ts` from `<rootDir>/x.ts`, also through one flavour folder (`dist/esm/x.js`).
   */
  const source = (p) => {
    const m = /(\.d\.[cm]?ts|\.[cm]?js)$/.exec(p);
    if (!m) return undefined;
    for (const b of builds) {
      if (!p.startsWith(b.outDir + path.sep)) continue;
      const rest = p.slice(b.outDir.length + 1, -m[1].length);
      const parts = rest.split(path.sep);
      for (const stem of parts.length > 1 ? [rest, parts.slice(1).join(path.sep)] : [rest]) {
        for (const ext of ['.ts', '.tsx', '.mts', '.cts']) if (ts.sys.fileExists(path.join(b.rootDir, stem + ext))) return path.join(b.rootDir, stem + ext);
      }
    }
    return undefined;
  };
  return {
    emulated: (p) => !ts.sys.fileExists(p) && !!source(unlink(p)),
    fileExists: (p) => ts.sys.fileExists(unlink(p)) || !!source(unlink(p)),
    directoryExists: (p) => {
      const real = unlink(p);
      if (ts.sys.directoryExists(real)) return true;
      for (const link of links.keys()) if (link.startsWith(real + path.sep)) return true; // node_modules, node_modules/@scope
      return builds.some((b) => {
        if (!(real + path.sep).startsWith(b.outDir + path.sep)) return false;
        const rest = real.slice(b.outDir.length + 1);
        return ts.sys.directoryExists(path.join(b.rootDir, rest)) || ts.sys.directoryExists(path.join(b.rootDir, rest.split(path.sep).slice(1).join(path.sep)));
      });
    },
    readFile: (p) => ts.sys.readFile(unlink(p)),
    realpath: (p) => {
      const real = unlink(p);
      return ts.sys.realpath ? (ts.sys.fileExists(real) || ts.sys.directoryExists(real) ? ts.sys.realpath(real) : real) : real;
    },
    getCurrentDirectory: () => root,
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    trace: () => {},
  };
}

async function main(argv) {
  const args = argv.slice(2);
  const repo = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--limit');
  if (!repo) {
    console.error('usage: npm run check:resolution -- <repo> [--link-workspaces] [--limit <files>]');
    process.exitCode = 2;
    return;
  }
  const limitAt = args.indexOf('--limit');
  const here = path.dirname(new URL(import.meta.url).pathname);
  const dist = (m) => import(pathToFileURL(path.join(here, '..', 'dist', m)).href);
  const [{ ts }, { scanProject }] = await Promise.all([dist('scan/compiler.js'), dist('scan/scan-project.js')]);
  const r = await compareResolutions({ ts, scanProject }, repo, {
    linkWorkspaces: args.includes('--link-workspaces'),
    ...(limitAt >= 0 ? { limit: Number(args[limitAt + 1]) } : {}),
  });
  const unexplained = r.differences.filter((d) => !d.reason);
  for (const d of r.differences) console.log(`${d.file}:${d.line}  ${JSON.stringify(d.specifier)}  ours: ${d.ours}  tsc: ${d.tsc}  [${d.project}]${d.reason ? `  (${d.reason})` : ''}`);
  console.log(`\nTypeScript ${ts.version}: ${r.agree}/${r.total} references agree (${r.total ? ((100 * r.agree) / r.total).toFixed(2) : '100.00'}%), ${r.differences.length} differ, ${unexplained.length} of them unexplained`);
  for (const [kind, n] of Object.entries(r.kinds).sort((a, b) => b[1] - a[1])) console.log(`  ${n}  agree: ${kind}`);
  const reasons = {};
  for (const d of r.differences) reasons[d.reason ?? 'UNEXPLAINED'] = (reasons[d.reason ?? 'UNEXPLAINED'] ?? 0) + 1;
  for (const [reason, n] of Object.entries(reasons).sort((a, b) => b[1] - a[1])) console.log(`  ${n}  differ: ${reason}`);
  process.exitCode = unexplained.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv);
