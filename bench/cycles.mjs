// The import-cycle rule on one large strongly connected component (issue 16, item 12):
// `node bench/cycles.mjs` (also run by `npm run bench`; `node bench/run.mjs --only cycles` alone).
// For each size (BENCH_CYCLE_SIZES, default 3000,20000; BENCH_SEED) a corpus from bench/corpus-cycles.mjs
// (random imports, fan-out 3) in <os tmpdir>/ssot-bench-cycles/<size> (outside this repository, whose
// .gitignore leaves bench/.corpora out of any scan below it; BENCH_CYCLE_DIR moves it), then a cold scan (no cache) with the rule
// on and with it off (`--config ssot.rule-off.json`), in turns, BENCH_RUNS rounds: median wall time, the
// largest peak RSS, their ratio, and what the rule found. Target: rule on at most 1.5x rule off on 3,000
// files; 20,000 files under 30 s. Writes bench/.corpora/results-cycles-<size>.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CYCLES_GENERATOR_VERSION, CYCLES_STAMP_FILE, generateCycleCorpus } from "./corpus-cycles.mjs";
import { interleaved, measure } from "./measure.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const CORPORA = path.join(BENCH, ".corpora");
const SSOT_BIN = path.join(ROOT, "bin/ssot.js");
const OFF_CONFIG = "ssot.rule-off.json";
const RATIO_TARGET = 1.5;

/** The corpus for `size` and `seed`, regenerated when its stamp does not match. */
function ensureCorpus(size, seed) {
  const dir = path.join(process.env.BENCH_CYCLE_DIR ?? path.join(os.tmpdir(), "ssot-bench-cycles"), String(size));
  const stampFile = path.join(dir, CYCLES_STAMP_FILE);
  let stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, "utf8")) : undefined;
  if (!stamp || stamp.generator !== CYCLES_GENERATOR_VERSION || stamp.files !== size || stamp.seed !== seed) {
    process.stdout.write(`generating ${size} files (one random component, fan-out 3) into ${dir} ... `);
    stamp = generateCycleCorpus(dir, { files: size, seed });
    console.log(`${(stamp.ms / 1000).toFixed(2)} s`);
  }
  writeFileSync(path.join(dir, OFF_CONFIG), `${JSON.stringify({ include: ["src/**/*.ts"], rules: { "import-cycle": "off" } }, null, 2)}\n`);
  return { dir, stamp };
}

/** What the rule reported: per component its size, cut size and how the cut was found. */
function cycleFindings(reportFile) {
  if (!existsSync(reportFile)) return undefined;
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  return report.findings.filter((f) => f.ruleId === "import-cycle").map((f) => ({ size: f.data.size, cutSize: f.data.cutSize, cutMethod: f.data.cutMethod }));
}

/** Rule on against rule off, cold, for each size; returns the rows it printed. */
export async function benchCycles({ sizes = [3000, 20000], seed = 1 } = {}) {
  console.log("\n## import-cycle on one large component (random imports, fan-out 3), cold, no cache\n");
  const rows = [];
  mkdirSync(CORPORA, { recursive: true });
  for (const size of sizes) {
    const { dir, stamp } = ensureCorpus(size, seed);
    const out = (name) => path.join(os.tmpdir(), `ssot-bench-cycles-${process.pid}-${size}-${name}.json`);
    const scan = (name, extra = []) => [SSOT_BIN, "scan", dir, "--no-cache", "--format", "json", "--output", out(name), ...extra];
    const opts = { cwd: ROOT, okCodes: [0, 1] };
    const r = await interleaved({
      on: { run: () => measure(scan("on"), opts) },
      off: { run: () => measure(scan("off", ["--config", path.join(dir, OFF_CONFIG)]), opts) },
    });
    const found = cycleFindings(out("on"));
    const row = { size, on: r.on.wall, off: r.off.wall, ratio: r.on.wall / r.off.wall, rssOnMiB: r.on.rssMiB, rssOffMiB: r.off.rssMiB, found, ok: r.on.ok && r.off.ok };
    rows.push(row);
    writeFileSync(path.join(CORPORA, `results-cycles-${size}.json`), `${JSON.stringify({
      size, seed, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
      corpus: stamp, ruleOn: { wallSeconds: r.on.wall, runsWallSeconds: r.on.walls, peakRssMiB: r.on.rssMiB },
      ruleOff: { wallSeconds: r.off.wall, runsWallSeconds: r.off.walls, peakRssMiB: r.off.rssMiB }, ratio: row.ratio, findings: found,
    }, null, 2)}\n`);
  }
  const fmt = (x, d = 2) => x.toFixed(d);
  console.log("| files | rule on | rule off | on / off | peak RSS on | peak RSS off | components (modules, cut, method) |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const r of rows) {
    const comps = (r.found ?? []).map((f) => `${f.size}, ${f.cutSize}, ${f.cutMethod}`).join("; ");
    console.log(`| ${r.size} | ${fmt(r.on)} s | ${fmt(r.off)} s | ${fmt(r.ratio)}x | ${fmt(r.rssOnMiB, 0)} MiB | ${fmt(r.rssOffMiB, 0)} MiB | ${comps} |`);
  }
  for (const r of rows) {
    if (r.size === 3000) console.log(`target: rule on <= ${RATIO_TARGET}x rule off on 3,000 files: ${r.ratio <= RATIO_TARGET ? "met" : "MISSED"} (${fmt(r.ratio)}x)`);
    if (r.size === 20000) console.log(`target: 20,000 files under 30 s with the rule on: ${r.on < 30 ? "met" : "MISSED"} (${fmt(r.on)} s)`);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sizes = (process.env.BENCH_CYCLE_SIZES ?? "3000,20000").split(",").map((s) => Number(s.trim()));
  const seed = Number(process.env.BENCH_SEED ?? 1);
  if (!sizes.every((n) => Number.isInteger(n) && n >= 50) || !Number.isInteger(seed)) {
    console.error("BENCH_CYCLE_SIZES must be a comma-separated list of integers >= 50, BENCH_SEED an integer");
    process.exit(2);
  }
  const rows = await benchCycles({ sizes, seed });
  if (!rows.every((r) => r.ok)) process.exit(1);
}
