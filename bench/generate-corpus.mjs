// Deterministic generator of a TypeScript monorepo-like corpus for the benchmarks.
//   node bench/generate-corpus.mjs <dir> <files> [seed]
// Writes exactly `files` .ts files, a root tsconfig.json (paths @core/*), an npm
// workspace (packages/*, linked into node_modules/@corpus/* as `npm install` would),
// an ssot.config.json for the tool-dispatcher group and a stamp file with the stats.
// Variant "fix" (bench/fix-bench.mjs, corpus bench/.corpora/fix-<files>): the same files, but the
// legacy importers import one legacy module (unified-tool-dispatcher) by relative specifiers only, in
// every form the rewrite-imports transform rewrites, and the config lists that one legacy module.
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { KINDS, NOUNS, PACKAGE_NAMES, QUALIFIERS, SUB_DIRS, TOP_DIRS, kebab, makeRandom, renderFile } from "./corpus-templates.mjs";
import { TOOLS_FILES } from "./corpus-tools.mjs";
import { planImports, renderImports } from "./corpus-imports.mjs";

export const GENERATOR_VERSION = 2;
export const STAMP_FILE = ".corpus-stamp.json";
const TOOLS = "packages/core/src/tools";
/** The renames of the fix variant's legacy module (default: its `export default UnifiedToolDispatcher`). */
export const FIX_RENAMES = { UnifiedToolDispatcher: "RequestScopedToolDispatcher", createUnifiedToolDispatcher: "createToolDispatcher", default: "RequestScopedToolDispatcher" };
export const FIX_LEGACY_MODULE = `${TOOLS}/unified-tool-dispatcher.ts`;
export const FIX_SSOT_MODULE = `${TOOLS}/request-scoped-tool-dispatcher.ts`;
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

export function generateCorpus(dir, { files, seed, rewriteRatio = 0.3, variant = "default" }) {
  const started = performance.now();
  const r = makeRandom(seed);
  const pkgCount = r.int(4, 8);
  const names = ["core", ...r.shuffle([...PACKAGE_NAMES]).slice(0, pkgCount - 1)];
  const regularTotal = files - 3 - pkgCount; // 3 tools modules + one barrel per package
  if (!Number.isInteger(files) || regularTotal < pkgCount * 3) throw new Error(`files must be an integer >= ${pkgCount * 4 + 3}`);
  const weights = names.map((n) => (n === "core" ? 1.6 : 0.6 + r.next() * 0.8));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(3, Math.floor((regularTotal * w) / wsum)));
  for (let i = 0, diff = regularTotal - counts.reduce((a, b) => a + b, 0); diff !== 0; i = (i + 1) % pkgCount) {
    if (diff > 0) { counts[i]++; diff--; } else if (counts[i] > 3) { counts[i]--; diff++; }
  }

  const all = []; // every .ts file, in "creation" order: imports point mostly backwards
  const usedNames = new Set(["RequestScopedToolDispatcher", "UnifiedToolDispatcher", "ToolDispatcher"]);
  const uniqueName = () => {
    const base = r.pick(NOUNS) + r.pick(KINDS);
    const noun = base.match(/^[A-Z][a-z]+/)[0];
    for (let t = 0; t < 4; t++) {
      const name = t === 0 ? base : r.pick(QUALIFIERS) + base;
      if (!usedNames.has(name)) { usedNames.add(name); return { P: name, noun }; }
    }
    for (let n = 2; ; n++) if (!usedNames.has(base + n)) { usedNames.add(base + n); return { P: base + n, noun }; }
  };
  const packages = names.map((name, index) => {
    const pkg = { name, index, files: [], src: `packages/${name}/src` };
    if (name === "core") {
      pkg.tools = Object.keys(TOOLS_FILES).map((file) => ({ id: all.length, kind: "tools", pkg: name, rel: `${TOOLS}/${file}`, imports: [] }));
      // unified -> SSOT and singleton -> unified are real edges too
      for (const t of pkg.tools) { t.id = all.length; all.push(t); }
    }
    const folders = makeFolders(r, Math.min(400, Math.max(3, Math.round(counts[index] / 30))));
    for (let i = 0; i < counts[index]; i++) {
      const { P, noun } = uniqueName();
      const folder = r.pick(folders);
      const f = { id: all.length, kind: "regular", pkg: name, pkgIndex: index, P, noun, folder,
        rel: `${pkg.src}/${folder}/${kebab(P)}.ts`, isClass: r.chance(0.65), hasDefault: r.chance(0.25),
        lines: 40 + Math.floor(255 * r.next() ** 1.6), imports: [], fields: [], body: [], head: [] };
      pkg.files.push(f);
      all.push(f);
    }
    pkg.public = r.shuffle([...pkg.files]).slice(0, Math.min(80, Math.max(3, Math.round(pkg.files.length * 0.1))));
    pkg.barrel = { id: all.length, kind: "barrel", pkg: name, rel: `${pkg.src}/index.ts`, imports: [] };
    all.push(pkg.barrel);
    return pkg;
  });

  const stats = planImports(r, all, packages, { files, rewriteRatio, variant });

  // ---- write everything
  prepareDir(dir);
  const made = new Set();
  const write = (rel, text) => {
    const folder = path.dirname(rel);
    if (!made.has(folder)) { mkdirSync(path.join(dir, folder), { recursive: true }); made.add(folder); }
    writeFileSync(path.join(dir, rel), text);
  };
  let lines = 0;
  for (const f of all) {
    let text;
    if (f.kind === "tools") text = TOOLS_FILES[path.basename(f.rel)];
    else if (f.kind === "barrel") text = `// Public API of @corpus/${f.pkg}.\n${renderImports(f, all).head.join("\n")}\n`;
    else text = renderFile(f, r, renderImports(f, all));
    lines += text.split("\n").length - 1;
    write(f.rel, text);
  }
  for (const pkg of packages) {
    write(`packages/${pkg.name}/package.json`, json({ name: `@corpus/${pkg.name}`, version: "0.0.0", private: true,
      type: "module", types: "./src/index.ts", dependencies: Object.fromEntries(packages.slice(0, pkg.index).map((p) => [`@corpus/${p.name}`, "*"])) }));
    mkdirSync(path.join(dir, "node_modules/@corpus"), { recursive: true });
    symlinkSync(`../../packages/${pkg.name}`, path.join(dir, "node_modules/@corpus", pkg.name), "dir");
  }
  write("package.json", json({ name: "corpus-monorepo", private: true, type: "module", workspaces: ["packages/*"] }));
  write(".gitignore", "node_modules/\n");
  write("tsconfig.json", json({
    compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, skipLibCheck: true,
      noEmit: true, paths: { "@core/*": ["./packages/core/src/*"] } },
    include: ["packages/*/src/**/*.ts"],
  }));
  if (variant === "fix") {
    write("ssot.config.json", json({
      groups: [{
        name: "tool-dispatcher",
        description: "Tool calls go through one request-scoped dispatcher created by createToolDispatcher().",
        ssot: { module: `${TOOLS}/request-scoped-tool-dispatcher.ts`, export: "RequestScopedToolDispatcher", factory: "createToolDispatcher" },
        legacy: [{ module: `${TOOLS}/unified-tool-dispatcher.ts`, renames: FIX_RENAMES }],
        role: { names: ["*ToolDispatcher"] },
        // Only the SSOT and the legacy module: the singleton (tools/tool-dispatcher.ts) is a consumer here.
        allow: [`${TOOLS}/request-scoped-tool-dispatcher.ts`, `${TOOLS}/unified-tool-dispatcher.ts`],
      }],
    }));
  } else write("ssot.config.json", json({
    groups: [{
      name: "tool-dispatcher",
      description: "Tool calls go through one request-scoped dispatcher created by createToolDispatcher().",
      ssot: { module: `${TOOLS}/request-scoped-tool-dispatcher.ts`, export: "RequestScopedToolDispatcher", factory: "createToolDispatcher" },
      legacy: [
        { module: `${TOOLS}/unified-tool-dispatcher.ts`,
          renames: { UnifiedToolDispatcher: "RequestScopedToolDispatcher", createUnifiedToolDispatcher: "createToolDispatcher" } },
        { module: `${TOOLS}/tool-dispatcher.ts`, renames: { ToolDispatcher: "RequestScopedToolDispatcher" } },
      ],
      role: { names: ["*ToolDispatcher"] },
      allow: [`${TOOLS}/**`],
    }],
  }));
  const core = packages[0].files;
  Object.assign(stats, { packages: names, lines, probeFile: core[Math.floor(core.length / 2)].rel });
  const stamp = { generator: GENERATOR_VERSION, ...(variant === "default" ? {} : { variant }), files, seed, rewriteRatio, stats, ms: Math.round(performance.now() - started) };
  writeFileSync(path.join(dir, STAMP_FILE), json(stamp));
  return stamp;
}

/** Folder paths (depth 1-3) for one package's src/. */
function makeFolders(r, count) {
  const folders = [];
  const seen = new Set();
  for (let tries = 0; folders.length < count && tries < count * 20; tries++) {
    const parent = folders.length < 2 || r.chance(0.3) ? "" : r.pick(folders);
    if (parent.split("/").length >= 3) continue;
    const name = parent ? `${parent}/${r.pick(SUB_DIRS)}` : r.pick(TOP_DIRS);
    if (parent && name.endsWith(`${parent.slice(parent.lastIndexOf("/"))}`)) continue; // no a/x/x
    if (!seen.has(name)) { seen.add(name); folders.push(name); }
  }
  return folders;
}

/** Empties `dir`, but only if it is new, empty, or a corpus written by this script. */
function prepareDir(dir) {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(path.join(dir, STAMP_FILE))) throw new Error(`${dir} is not empty and is not a generated corpus; refusing to overwrite it`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [dir, filesArg, seedArg, variant] = process.argv.slice(2);
  if (!dir || !filesArg) {
    console.error("usage: node bench/generate-corpus.mjs <dir> <files> [seed] [default|fix]");
    process.exit(2);
  }
  const stamp = generateCorpus(path.resolve(dir), { files: Number(filesArg), seed: Number(seedArg ?? 1), variant: variant ?? "default" });
  const s = stamp.stats;
  console.log(`${stamp.files} files (${s.lines} lines, ${s.packages.length} packages) in ${dir}, ${stamp.ms} ms`);
  console.log(`imports: ${s.imports} (${JSON.stringify(s.byKind)}), legacy importers: ${s.legacyImporters}, cycles: ${s.cycles.length}`);
}
