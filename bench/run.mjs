// Benchmark harness: `npm run bench` (or `node bench/run.mjs`).
// For each corpus size (default 2000 and 10000; BENCH_SIZES=2000 to override,
// BENCH_SEED to change the corpus) it runs, each in its own node process, with wall
// time and peak RSS: read only, bare parse, ssot cold / warm (unchanged) / warm
// (1 file changed, three kinds of edit), and dependency-cruiser
// (see bench/depcruise.mjs for how it is set up; a run with all its analyses is added up to 2,000 files,
// BENCH_DEPCRUISE_FULL=1 adds it everywhere, ~11 min on 10,000 files, =0 nowhere); then prints the ratios the project's targets are about and
// writes bench/.corpora/results-<size>.json. Each measurement runs BENCH_RUNS times (default 3):
// the median wall time is reported (every run's is in the JSON), with the largest peak RSS.
// Then `ssot fix --dry-run` against plain jscodeshift with the same transform (bench/fix-bench.mjs) on
// bench/.corpora/fix-<BENCH_FIX_SIZE, default 10000>, written to results-fix-<size>.json.
// `node bench/run.mjs --only fix` runs only that part; `--skip-fix` (or BENCH_FIX=0) leaves it out.
// Then the import-cycle rule on and off over one large random component (bench/cycles.mjs; sizes
// BENCH_CYCLE_SIZES, default 3000,20000): `--only cycles` runs only that, `--skip-cycles` (or BENCH_CYCLES=0) leaves it out.
// Exit 0 even when a target fails (this is a report); non-zero when a command fails.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { measure as measureIn, anyFailed, interleaved, repeated, RUNS } from "./measure.mjs";
import { depcruiseArgs, prepareDepcruise, summarizeDepcruise, writeDepcruiseConfig } from "./depcruise.mjs";
import { GENERATOR_VERSION, STAMP_FILE, generateCorpus } from "./generate-corpus.mjs";
import { benchFix } from "./fix-bench.mjs";
import { benchCycles } from "./cycles.mjs";
import { projectCallPrefix, siblingOf } from "./edits.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const CORPORA = path.join(BENCH, ".corpora");
const SSOT_BIN = path.join(ROOT, "bin/ssot.js");
const SIZES = (process.env.BENCH_SIZES ?? "2000,10000").split(",").map((s) => Number(s.trim()));
const SEED = Number(process.env.BENCH_SEED ?? 1);
if (!SIZES.every((n) => Number.isInteger(n) && n >= 50) || !Number.isInteger(SEED)) {
  console.error("BENCH_SIZES must be a comma-separated list of integers >= 50, BENCH_SEED an integer");
  process.exit(2);
}
const REWRITE_RATIO = 0.3;
const argv = process.argv.slice(2);
const onlyAt = argv.indexOf("--only");
const ONLY = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
const FIX_SIZE = Number(process.env.BENCH_FIX_SIZE ?? 10000);
if ((ONLY !== undefined && !["fix", "scan", "cycles"].includes(ONLY)) || !Number.isInteger(FIX_SIZE) || FIX_SIZE < 50) {
  console.error("usage: node bench/run.mjs [--only fix|scan|cycles] [--skip-fix] [--skip-cycles]; BENCH_FIX_SIZE must be an integer >= 50");
  process.exit(2);
}
const RUN_FIX = (ONLY === undefined || ONLY === "fix") && !argv.includes("--skip-fix") && process.env.BENCH_FIX !== "0";
const RUN_CYCLES = (ONLY === undefined || ONLY === "cycles") && !argv.includes("--skip-cycles") && process.env.BENCH_CYCLES !== "0";
const CYCLE_SIZES = (process.env.BENCH_CYCLE_SIZES ?? "3000,20000").split(",").map((s) => Number(s.trim()));
if (!CYCLE_SIZES.every((n) => Number.isInteger(n) && n >= 50)) {
  console.error("BENCH_CYCLE_SIZES must be a comma-separated list of integers >= 50");
  process.exit(2);
}

const LABELS = {
  read: "read only", parse: "bare parse", cold: "ssot cold", warm1: "ssot warm (1 file: lines inserted)",
  warm1x: "ssot warm (1 file: new export)", warm1i: "ssot warm (1 file: package import)", warm1p: "ssot warm (1 file: project import)", warm1c: "ssot warm (1 file: project import + call)",
  warm0: "ssot warm (unchanged)", check0: "ssot check (unchanged, warm)", depcruise: "dependency-cruiser", depcruiseFull: "dependency-cruiser (all analyses)",
};
/** dependency-cruiser with every analysis too (one run): by default up to 2,000 files; 10,000 take ~11 min. */
const depcruiseFull = (size) => process.env.BENCH_DEPCRUISE_FULL === "1" || (process.env.BENCH_DEPCRUISE_FULL !== "0" && size <= 2000);

/** The corpus for `size`, regenerated when its stamp does not match size + seed + generator. */
function ensureCorpus(size) {
  const dir = path.join(CORPORA, String(size));
  const stampFile = path.join(dir, STAMP_FILE);
  if (existsSync(stampFile)) {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
    if (stamp.generator === GENERATOR_VERSION && stamp.files === size && stamp.seed === SEED && stamp.rewriteRatio === REWRITE_RATIO) {
      return { dir, stamp, generated: false };
    }
  }
  process.stdout.write(`generating ${size} files into ${path.relative(ROOT, dir)} ... `);
  const stamp = generateCorpus(dir, { files: size, seed: SEED, rewriteRatio: REWRITE_RATIO });
  console.log(`${(stamp.ms / 1000).toFixed(2)} s`);
  return { dir, stamp, generated: true };
}

const measure = (args, options = {}) => measureIn(args, { cwd: ROOT, ...options });
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error("BENCH_RUNS must be a whole number >= 1");
  process.exit(2);
}


async function benchSize(size, depcruise) {
  const { dir, stamp, generated } = ensureCorpus(size);
  const s = stamp.stats;
  const tmp = mkdtempSync(path.join(os.tmpdir(), `ssot-bench-${size}-`));
  const results = {};
  try {
    const parseArgs = [path.join(BENCH, "bare-parse.mjs"), dir];
    const dcOut = path.join(tmp, "depcruise.json");
    const dcConfig = writeDepcruiseConfig(tmp, dir);
    await measure([...parseArgs, "--read-only"]); // untimed: warm the page cache for everyone
    results.read = await repeated(() => measure([...parseArgs, "--read-only"]));
    // The same parse twice in one process: the parser's JIT warm-up, which every fresh process pays.
    results.passes = await repeated(() => measure([...parseArgs, "--passes", "2"]));

    if (existsSync(SSOT_BIN)) {
      const cache = path.join(tmp, "ssot-cache");
      const codeCache = path.join(tmp, "code-cache");
      const scan = (name) => [SSOT_BIN, "scan", dir, "--format", "json", "--output", path.join(tmp, `${name}.json`), "--cache-location", cache];
      const ssotOpts = { okCodes: [0, 1], extraEnv: { SSOT_CODE_CACHE: codeCache } };
      const scanRun = async (name) => ({ ...(await measure(scan(name), ssotOpts)), summary: ssotSummary(path.join(tmp, `${name}.json`)) });
      // The runs the targets compare, in turns (see `interleaved`): the bare parse, ssot cold and
      // dependency-cruiser. Every cold
      // run starts with an empty facts cache and an empty V8 code cache (ssot keeps one for the compiler).
      const fresh = async () => {
        rmSync(cache, { recursive: true, force: true });
        rmSync(codeCache, { recursive: true, force: true });
        mkdirSync(cache);
      };
      Object.assign(results, await interleaved({
        parse: { run: () => measure(parseArgs) },
        cold: { setup: fresh, run: () => scanRun("cold") },
        depcruise: { run: () => measure(depcruiseArgs(depcruise.bin, dcConfig, dir, dcOut), { cwd: dir }) },
      }));
      // A cold run fills the cache the warm runs start from.
      rmSync(cache, { recursive: true, force: true });
      mkdirSync(cache);
      await measure(scan("cold-refill"), ssotOpts);
      // "unchanged" runs before the 1-file change: restoring the file afterwards would
      // itself be a change for the cache.
      results.warm0 = await repeated(() => scanRun("warm-unchanged"));
      // The gate on the same unchanged tree: a baseline written once (untimed), then `ssot check`.
      await measure([SSOT_BIN, "baseline", dir, "--cache-location", cache, "--baseline", path.join(tmp, "baseline.json")], ssotOpts);
      results.check0 = await repeated(() => measure([SSOT_BIN, "check", dir, "--cache-location", cache, "--baseline", path.join(tmp, "baseline.json"), "--format", "json", "--output", path.join(tmp, "check.json")], ssotOpts));
      const probeFile = path.join(dir, s.probeFile);
      const original = readFileSync(probeFile);
      const { atime, mtime } = statSync(probeFile);
      try {
        // Three kinds of one-file edit, each timed from a cache that has just seen the original file
        // (an untimed scan). Lines inserted at the top move every fact of the file without changing
        // any: ssot re-parses that file and moves the previous result's positions. A new exported
        // constant changes the file's facts, but only by a declaration nothing looks up (early
        // cutoff, see src/incremental.ts), and so does an import of a package.
        const edited = async (name, prefix) =>
          repeated(
            () => scanRun(name),
            async () => {
              writeFileSync(probeFile, original);
              await measure(scan("reset"), ssotOpts);
              writeFileSync(probeFile, Buffer.concat([Buffer.from(prefix), original]));
            },
          );
        results.warm1 = await edited("warm-1-changed", "// bench: edited\n\n");
        results.warm1x = await edited("warm-1-changed-export", "export const benchProbe = 1;\n");
        results.warm1i = await edited("warm-1-changed-import", "import 'node:path';\n");
        // An import of another file of the project changes the module graph: a full analysis from cached facts.
        results.warm1p = await edited("warm-1-changed-project-import", `import './${siblingOf(probeFile)}';\n`);
        // The same with a call of a function it exports: the call resolves into the project.
        const call = projectCallPrefix(probeFile);
        if (call) results.warm1c = await edited("warm-1-changed-project-call", call);
      } finally {
        writeFileSync(probeFile, original);
        utimesSync(probeFile, atime, mtime);
      }
    } else {
      console.log(`\n[bench] ${path.relative(ROOT, SSOT_BIN)} does not exist yet: ssot rows skipped`);
      results.parse = await repeated(() => measure(parseArgs));
    }

    if (!results.depcruise) results.depcruise = await repeated(() => measure(depcruiseArgs(depcruise.bin, dcConfig, dir, dcOut), { cwd: dir }));
    const dcCounts = results.depcruise.ok ? summarizeDepcruise(dcOut) : undefined;
    if (depcruiseFull(size)) {
      const fullConfig = writeDepcruiseConfig(tmp, dir, { allAnalyses: true });
      results.depcruiseFull = await measure(depcruiseArgs(depcruise.bin, fullConfig, dir, dcOut), { cwd: dir });
    }
    const baseline = results.parse.ok ? JSON.parse(results.parse.stdout) : undefined;
    report(size, stamp, generated, results, dcCounts, baseline, depcruise);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Findings per rule and cache coverage from ssot's JSON report, when it has them (sanity check only). */
function ssotSummary(file) {
  try {
    const { summary, coverage } = JSON.parse(readFileSync(file, "utf8"));
    return { byRule: summary?.byRule, coverage };
  } catch {
    return undefined;
  }
}

/** Pass times (s) of the median two-pass bare parse, and their difference: the parser's JIT warm-up. */
function parserWarmup(results) {
  if (!results.passes?.ok) return undefined;
  const [first, second] = JSON.parse(results.passes.stdout).passesMs.map((ms) => ms / 1000);
  return { pass1: first, pass2: second, warmup: first - second, runsWallSeconds: results.passes.walls };
}

function report(size, stamp, generated, results, dc, baseline, depcruise) {
  const s = stamp.stats;
  const wall = (k) => (results[k]?.ok ? results[k].wall : undefined);
  const ratio = (a, b) => (wall(a) !== undefined && wall(b) ? wall(a) / wall(b) : undefined);
  const targets = [
    { name: "cold / dependency-cruiser", value: ratio("cold", "depcruise"), op: "<=", limit: 0.33 },
    { name: "cold / dep-cruiser (all analyses)", value: ratio("cold", "depcruiseFull"), op: "<=", limit: 0.33 },
    { name: "cold / bare parse", value: ratio("cold", "parse"), op: "<=", limit: 1.5 },
    { name: "warm 1-changed (lines inserted) / cold", value: ratio("warm1", "cold"), op: "<", limit: 0.15 },
    { name: "warm 1-changed (new export) / cold", value: ratio("warm1x", "cold"), op: "<", limit: 0.15 },
    { name: "warm 1-changed (package import) / cold", value: ratio("warm1i", "cold"), op: "<", limit: 0.15 },
    { name: "warm 1-changed (project import) / cold", value: ratio("warm1p", "cold"), op: "<", limit: 0.15 },
    { name: "warm 1-changed (project import + call) / cold", value: ratio("warm1c", "cold"), op: "<", limit: 0.15 },
    { name: "warm unchanged / cold", value: ratio("warm0", "cold"), op: "<", limit: 0.1 },
    { name: "check unchanged / cold", value: ratio("check0", "cold"), op: "<", limit: 0.1 },
    { name: "peak RSS cold (MiB)", value: results.cold?.ok ? results.cold.rssMiB : undefined, op: "<", limit: 400 },
  ];
  for (const t of targets) {
    t.result = t.value === undefined ? "n/a" : (t.op === "<" ? t.value < t.limit : t.value <= t.limit) ? "PASS" : "FAIL";
  }
  const fmt = (n, d = 2) => (n === undefined ? "-" : n.toFixed(d));
  const pad = (x, w) => String(x).padStart(w);
  console.log(`\n== ${size.toLocaleString("en-US")} files: seed ${stamp.seed}, ${s.packages.length} packages, median of ${RUNS} run${RUNS > 1 ? "s" : ""}, ` +
    `${s.lines.toLocaleString("en-US")} lines, ${s.imports.toLocaleString("en-US")} imports` +
    ` (corpus ${generated ? `generated in ${(stamp.ms / 1000).toFixed(2)} s` : "reused"}) ==`);
  console.log(`${"measurement".padEnd(34)}${pad("wall s", 9)}${pad("peak RSS MiB", 14)}`);
  for (const [k, label] of Object.entries(LABELS)) {
    const r = results[k];
    if (!r) {
      if (k !== "depcruiseFull") console.log(`${label.padEnd(34)}${pad("skipped", 9)}`);
      continue;
    }
    const runs = r.walls?.length > 1 ? `  runs ${r.walls.map((w) => w.toFixed(2)).join(" ")}` : "";
    const note = r.ok ? `${runs}${r.procs > 1 ? `  (max of ${r.procs} processes)` : ""}` : `  FAILED (exit ${r.code})`;
    console.log(`${label.padEnd(34)}${pad(fmt(r.wall), 9)}${pad(fmt(r.rssMiB, 1), 14)}${note}`);
  }
  console.log(`\n${"target".padEnd(34)}${pad("value", 9)}${pad("target", 10)}  result`);
  for (const t of targets) console.log(`${t.name.padEnd(34)}${pad(fmt(t.value), 9)}${pad(`${t.op} ${t.limit}`, 10)}  ${t.result}`);
  // Every timed edit is one the incremental path keeps the findings through (moved or inert facts).
  for (const k of ["warm0", "warm1", "warm1x", "warm1i", "warm1p", "warm1c"]) {
    if (results[k]?.summary && results.cold?.summary && JSON.stringify(results[k].summary.byRule) !== JSON.stringify(results.cold.summary.byRule)) {
      console.error(`[bench] FINDINGS DIFFER between ssot cold and ${LABELS[k]} on ${size} files`);
      process.exitCode = 1;
    }
  }
  for (const k of ["cold", "warm0", "warm1", "warm1x", "warm1i", "warm1p", "warm1c"]) {
    const sum = results[k]?.summary;
    if (!sum) continue;
    const cov = sum.coverage ? ` coverage ${JSON.stringify(sum.coverage)}` : "";
    console.log(`${LABELS[k]}: findings ${JSON.stringify(sum.byRule ?? {})}${cov}`);
  }
  if (results.cold?.summary) console.log(`  corpus: ${s.legacyImporters} legacy importers, ${s.cycles.length} cycles`);
  const warmup = parserWarmup(results);
  if (warmup) {
    console.log(`\nTypeScript's parser in one process: pass 1 ${fmt(warmup.pass1)} s, pass 2 ${fmt(warmup.pass2)} s: JIT warm-up ${fmt(warmup.warmup)} s` +
      (wall("cold") ? ` (${fmt((100 * warmup.warmup) / wall("cold"), 0)}% of ssot cold)` : ""));
  }
  if (dc) {
    console.log(`\ndependency-cruiser ${depcruise.dcVersion} (TypeScript ${depcruise.tsVersion} from ts-morph): ` +
      `${dc.modules} modules, ${dc.dependencies} dependencies, ${dc.unresolved} unresolved, ${dc.violations} rule violations; ` +
      `corpus: ${stamp.files} files, ${s.imports} imports, ${s.legacyImporters} legacy importers`);
  }
  const out = path.join(CORPORA, `results-${size}.json`);
  writeFileSync(out, `${JSON.stringify({
    size, seed: stamp.seed, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model, corpus: { ...s, generatedNow: generated, generationMs: stamp.ms },
    measurements: Object.fromEntries(Object.entries(LABELS).map(([k, label]) => [k, results[k]
      ? { label, wallSeconds: results[k].wall, runsWallSeconds: results[k].walls, peakRssMiB: results[k].rssMiB, processes: results[k].procs, exitCode: results[k].code,
        ok: results[k].ok, ssot: results[k].summary }
      : { label, skipped: true }])),
    targets, dependencyCruiser: dc && { ...dc, version: depcruise.dcVersion, typescript: depcruise.tsVersion }, baseline, parserWarmup: warmup,
  }, null, 2)}\n`);
  console.log(`results: ${path.relative(ROOT, out)}`);
}

mkdirSync(CORPORA, { recursive: true });
if (ONLY === undefined || ONLY === "scan") {
  const depcruise = prepareDepcruise(path.join(CORPORA, ".tools"));
  for (const size of SIZES) await benchSize(size, depcruise);
}
if (RUN_FIX) {
  if (existsSync(SSOT_BIN)) await benchFix({ size: FIX_SIZE, seed: SEED, rewriteRatio: REWRITE_RATIO });
  else console.log(`\n[bench] ${path.relative(ROOT, SSOT_BIN)} does not exist yet: ssot fix rows skipped`);
}
if (RUN_CYCLES) {
  if (existsSync(SSOT_BIN)) await benchCycles({ sizes: CYCLE_SIZES, seed: SEED });
  else console.log(`\n[bench] ${path.relative(ROOT, SSOT_BIN)} does not exist yet: import-cycle rows skipped`);
}
if (anyFailed()) {
  console.error("\n[bench] at least one command failed to run");
  process.exit(1);
}
