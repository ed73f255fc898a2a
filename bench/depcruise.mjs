// dependency-cruiser as the benchmark's reference tool.
//
// Why a private copy: dependency-cruiser 17 loads the TypeScript compiler with
// `import("typescript")` from its own folder, and accepts only typescript
// ">=2.0.0 <7.0.0" (see its src/meta.cjs, and `depcruise --info`). This project's
// `typescript` devDependency is 7.x, the native compiler, whose package exports no
// JavaScript compiler API, so dependency-cruiser treats TypeScript as absent: it
// silently skips every .ts file (0 modules, 0 dependencies, exit 0) and cannot read
// the tsconfig `paths` either.
//
// The fix, offline and without touching the project's dependencies: at bench time,
// copy the installed dependency-cruiser (about 2 MB) into bench/.corpora/.tools/
// node_modules/ (gitignored), next to a one-file shim package `typescript` whose
// main module re-exports the compiler bundled in ts-morph (TypeScript 6.0.x, within
// dependency-cruiser's range). Node resolves `typescript` from the copy's folder
// first, so the copy gets the shim, while its other dependencies (acorn,
// enhanced-resolve, ...) still resolve from the project's node_modules further up.
// A bonus: dependency-cruiser then parses with the very compiler ssot-kit uses,
// so the `cold / dependency-cruiser` ratio compares like with like. (The other way,
// `npm install --prefix <dir> dependency-cruiser typescript@5.9`, needs the network
// and ~25 MB at every fresh machine, and parses with another compiler version.)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** Builds the private copy; returns the path of its CLI and the versions in use. */
export function prepareDepcruise(toolsDir) {
  // (its "exports" hides package.json, so look for the folder on the resolution paths)
  const source = require.resolve.paths("dependency-cruiser").map((p) => path.join(p, "dependency-cruiser"))
    .find((p) => existsSync(path.join(p, "package.json")));
  if (!source) throw new Error("dependency-cruiser is not installed: it is a devDependency, run `npm install`");
  const dcVersion = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8")).version;
  // ts-morph's bundled compiler, resolved the way ts-morph itself resolves it
  const tsMorphRequire = createRequire(require.resolve("ts-morph"));
  const common = path.dirname(tsMorphRequire.resolve("@ts-morph/common"));
  const tsFile = path.join(common, "typescript.js");
  if (!existsSync(tsFile)) throw new Error(`ts-morph's bundled compiler not found at ${tsFile}`);
  const tsVersion = require(tsFile).version;

  const modules = path.join(toolsDir, "node_modules");
  rmSync(toolsDir, { recursive: true, force: true }); // rebuilt each run: never stale
  mkdirSync(path.join(modules, "typescript"), { recursive: true });
  cpSync(source, path.join(modules, "dependency-cruiser"), { recursive: true, dereference: true });
  writeFileSync(path.join(modules, "typescript/package.json"),
    `${JSON.stringify({ name: "typescript", version: tsVersion, main: "./index.cjs", private: true }, null, 2)}\n`);
  writeFileSync(path.join(modules, "typescript/index.cjs"),
    `// Shim for the benchmark: ts-morph's bundled TypeScript ${tsVersion}.\nmodule.exports = require(${JSON.stringify(tsFile)});\n`);
  return { bin: path.join(modules, "dependency-cruiser/bin/dependency-cruise.mjs"), dcVersion, tsVersion };
}

/**
 * One forbidden rule (no imports of the legacy dispatcher modules outside tools/),
 * no cache. tsPreCompilationDeps: true makes dependency-cruiser read the TypeScript
 * AST as written (type-only imports included), like ssot-kit, instead of
 * transpiling each file to JavaScript first and dropping type-only imports.
 * mainFields includes "types": the corpus's workspace packages point at their
 * sources through "types" only.
 *
 * skipAnalysisNotInRules: by default dependency-cruiser also runs every analysis
 * (cycles, dependents, orphans, ...) whatever the rules, and its cycle analysis
 * (a path search per dependency) is super-linear: 6.2 s of 13 s on the 2,000-file
 * corpus, 602 s of 643 s on the 10,000-file one (2.6 GB peak RSS). With only the
 * one rule, skipping what no rule asks for leaves
 * extract + resolve + validate: the faster, so stricter, reference for the
 * `cold / dependency-cruiser` target. `allAnalyses` gives the default behaviour
 * (BENCH_DEPCRUISE_FULL=1 in run.mjs adds it as an extra row).
 */
export function writeDepcruiseConfig(tmpDir, corpus, { allAnalyses = false } = {}) {
  const config = {
    forbidden: [{
      name: "no-legacy-tool-dispatcher",
      severity: "warn",
      from: { pathNot: "^packages/core/src/tools/" },
      to: { path: "^packages/core/src/tools/(unified-tool-dispatcher|tool-dispatcher)[.]ts$" },
    }],
    options: {
      doNotFollow: { path: "node_modules" },
      tsPreCompilationDeps: true,
      skipAnalysisNotInRules: !allAnalyses,
      tsConfig: { fileName: path.join(corpus, "tsconfig.json") },
      enhancedResolveOptions: { mainFields: ["main", "types", "typings"], exportsFields: ["exports"],
        conditionNames: ["import", "require", "node", "default", "types"] },
    },
  };
  const file = path.join(tmpDir, `depcruise${allAnalyses ? "-all" : ""}.config.cjs`);
  writeFileSync(file, `module.exports = ${JSON.stringify(config, null, 2)};\n`);
  return file;
}

/** Arguments after `node`: run from the corpus root (cwd), JSON result to `out`. */
export function depcruiseArgs(bin, config, corpus, out) {
  return [bin, "--config", config, "--ts-config", path.join(corpus, "tsconfig.json"),
    "--output-type", "json", "--output-to", out, "packages"];
}

/** Module/dependency/violation counts from dependency-cruiser's JSON output. */
export function summarizeDepcruise(out) {
  const result = JSON.parse(readFileSync(out, "utf8"));
  let unresolved = 0;
  for (const m of result.modules) for (const d of m.dependencies) if (d.couldNotResolve) unresolved++;
  return {
    modules: result.summary.totalCruised,
    dependencies: result.summary.totalDependenciesCruised,
    violations: result.summary.violations.length,
    unresolved,
  };
}
