// Deterministic generator of a corpus whose imports form one large strongly connected component
// (issue 16, item 12): every module imports `fanOut` (default 3) others picked at random, so that
// almost every module lies on one component (a module nobody imports, about e^-3 of them, stays
// out). Optionally `smallCycles` rings of 2-4 modules beside it, imported by nobody of the big part.
//   node bench/corpus-cycles.mjs <dir> <files> [seed]
// `planCycles` gives the graph only (the test uses it to know the answer); `generateCycleCorpus`
// writes it as .ts files spread over folders of 100, plus an ssot.config.json and a stamp file.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { makeRandom } from "./corpus-templates.mjs";

export const CYCLES_GENERATOR_VERSION = 1;
export const CYCLES_STAMP_FILE = ".corpus-stamp.json";

/** Module i's path, relative to the corpus root. */
export const cycleModulePath = (i) => `src/part-${String(Math.floor(i / 100)).padStart(3, "0")}/module-${i}.ts`;

/**
 * The import graph: `imports[i]` lists the modules module i imports. Modules 0..big-1 import
 * `fanOut` distinct random others among themselves; then `smallCycles` rings of 2, 3, 4, 2, ...
 * modules, each ring member importing the next.
 */
export function planCycles({ files, seed, fanOut = 3, smallCycles = 0 }) {
  const r = makeRandom(seed);
  const ringSizes = Array.from({ length: smallCycles }, (_, k) => 2 + (k % 3));
  const big = files - ringSizes.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(files) || big <= fanOut) throw new Error(`files must be an integer > ${fanOut} plus the small cycles' modules`);
  const imports = [];
  for (let i = 0; i < big; i++) {
    const targets = new Set();
    while (targets.size < fanOut) {
      const t = r.int(0, big - 1);
      if (t !== i) targets.add(t);
    }
    imports.push([...targets]);
  }
  let next = big;
  for (const size of ringSizes) {
    for (let k = 0; k < size; k++) imports.push([next + ((k + 1) % size)]);
    next += size;
  }
  return { imports, big, ringSizes };
}

/** One module: a named import per target, and an exported function that calls each (runtime edges). */
function renderModule(i, targets) {
  const from = path.posix.dirname(cycleModulePath(i));
  const lines = targets.map((t) => {
    let spec = path.posix.relative(from, cycleModulePath(t)).replace(/\.ts$/, "");
    if (!spec.startsWith(".")) spec = `./${spec}`;
    return `import { step${t} } from '${spec}';`;
  });
  const calls = targets.map((t) => `step${t}(depth - 1)`).join(" + ");
  lines.push("", `export function step${i}(depth: number): number {`, `  return depth <= 0 ? ${i} : ${calls || "0"};`, "}", "");
  return lines.join("\n");
}

/** Writes the corpus into `dir` (emptied first); returns the stamp (also written as CYCLES_STAMP_FILE). */
export function generateCycleCorpus(dir, { files, seed, fanOut = 3, smallCycles = 0 }) {
  const started = performance.now();
  const { imports, big } = planCycles({ files, seed, fanOut, smallCycles });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const made = new Set();
  let bytes = 0;
  imports.forEach((targets, i) => {
    const file = path.join(dir, cycleModulePath(i));
    const folder = path.dirname(file);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    const text = renderModule(i, targets);
    bytes += text.length;
    writeFileSync(file, text);
  });
  writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions: { strict: true, module: "esnext", moduleResolution: "bundler" }, include: ["src"] }, null, 2)}\n`);
  writeFileSync(path.join(dir, "ssot.config.json"), `${JSON.stringify({ include: ["src/**/*.ts"] }, null, 2)}\n`);
  const stamp = { generator: CYCLES_GENERATOR_VERSION, files, seed, fanOut, smallCycles, big, bytes, ms: Math.round(performance.now() - started) };
  writeFileSync(path.join(dir, CYCLES_STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, files, seed = "1"] = process.argv.slice(2);
  if (!dir || !files) {
    console.error("usage: node bench/corpus-cycles.mjs <dir> <files> [seed]");
    process.exit(2);
  }
  console.log(generateCycleCorpus(path.resolve(dir), { files: Number(files), seed: Number(seed) }));
}
