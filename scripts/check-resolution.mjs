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
 * @param options `{ linkWorkspaces?: boolean, limit?: number }`
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
  const optionsFor = new Map();
  const projectOf = (file) => {
    const dir = path.dirname(file);
    const configFile = ts.findConfigFile(dir, ts.sys.fileExists);
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
    let proj = optionsFor.get(path.dirname(abs));
    if (!proj || !/\.[cm]?tsx?$/.test(rel)) proj = projectOf(abs);
    optionsFor.set(path.dirname(abs), proj);
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
      total++;
      if (kind) {
        agree++;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      } else {
        differences.push({ file: rel, line: r.ref.loc.line, specifier: spec, project: proj.name, ours: describe(ours, root), tsc: describe(theirs, root) });
      }
    }
  }
  return { root, total, agree, kinds, differences, project };
}

function classifyTs(resolved, root) {
  if (!resolved) return {};
  const file = path.resolve(resolved.resolvedFileName);
  if (file.includes(`${path.sep}node_modules${path.sep}`) || !file.startsWith(root + path.sep)) {
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
    let rootDir = path.join(dir, 'src');
    if (ts.sys.fileExists(config)) {
      const cmd = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      if (cmd?.options.outDir) outDir = path.resolve(cmd.options.outDir);
      if (cmd?.options.rootDir) rootDir = path.resolve(cmd.options.rootDir);
      else if (!ts.sys.directoryExists(rootDir)) rootDir = dir;
    }
    if (outDir !== rootDir) builds.push({ outDir, rootDir });
  }
  const unlink = (p) => {
    for (const [link, dir] of links) if (p === link || p.startsWith(link + path.sep)) return dir + p.slice(link.length);
    return p;
  };
  /** The source a build output would come from, when it exists. */
  const source = (p) => {
    for (const b of builds) {
      if (!p.startsWith(b.outDir + path.sep)) continue;
      const stem = b.rootDir + p.slice(b.outDir.length).replace(/(\.d)?\.([cm]?)(js|ts)$/, '');
      const m = /(\.d)?\.([cm]?)(js|ts)$/.exec(p);
      if (!m) return undefined;
      for (const ext of [`.${m[2]}ts`, `.${m[2]}tsx`]) if (ts.sys.fileExists(stem + ext)) return stem + ext;
    }
    return undefined;
  };
  return {
    fileExists: (p) => ts.sys.fileExists(unlink(p)) || !!source(unlink(p)),
    directoryExists: (p) => {
      const real = unlink(p);
      if (ts.sys.directoryExists(real)) return true;
      for (const link of links.keys()) if (link.startsWith(real + path.sep)) return true; // node_modules, node_modules/@scope
      return builds.some((b) => (real + path.sep).startsWith(b.outDir + path.sep) && ts.sys.directoryExists(b.rootDir + real.slice(b.outDir.length)));
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
  for (const d of r.differences) console.log(`${d.file}:${d.line}  ${JSON.stringify(d.specifier)}  ours: ${d.ours}  tsc: ${d.tsc}  [${d.project}]`);
  console.log(`\nTypeScript ${ts.version}: ${r.agree}/${r.total} references agree (${r.total ? ((100 * r.agree) / r.total).toFixed(2) : '100.00'}%), ${r.differences.length} differ`);
  for (const [kind, n] of Object.entries(r.kinds).sort((a, b) => b[1] - a[1])) console.log(`  ${n}  ${kind}`);
  process.exitCode = r.differences.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv);
