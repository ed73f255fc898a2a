// The benchmark on an existing repository: `node bench/real-repo.mjs <dir> [probe-file]`.
// Side by side in one run, each in its own node process: read only, bare TypeScript parse, ssot cold,
// warm unchanged, warm after one edit that only moves facts, warm after a new export, an import of a
// package and an import of a project file, and dependency-cruiser (one forbidden rule, no cache, same TypeScript as ssot; with only the analyses
// that rule needs, then with all of them, as it ships). The
// repository stays where it is (outside this project); the probe file is restored afterwards.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepareDepcruise } from "./depcruise.mjs";
import { projectCallPrefix, siblingOf } from "./edits.mjs";
import { anyFailed, interleaved, measure, repeated, RUNS } from "./measure.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const [dirArg, probeArg] = process.argv.slice(2);
if (!dirArg) {
  console.error("usage: node bench/real-repo.mjs <dir> [probe-file relative to dir]");
  process.exit(2);
}
const dir = path.resolve(dirArg);
const tmp = mkdtempSync(path.join(os.tmpdir(), "ssot-real-"));
const rows = [];
const row = (label, r) => rows.push({ label, wall: r.wall, rss: r.rssMiB, ok: r.ok, walls: r.walls });

const parse = [path.join(BENCH, "bare-parse.mjs"), dir];
await measure([...parse, "--read-only"], { cwd: ROOT });
row("read only", await repeated(() => measure([...parse, "--read-only"], { cwd: ROOT })));
// The same parse twice in one process: the parser's JIT warm-up, which every fresh process pays.
const passes = await repeated(() => measure([...parse, "--passes", "2"], { cwd: ROOT }));

const cache = path.join(tmp, "cache");
const codeCache = path.join(tmp, "code-cache");
const scan = (name) => [path.join(ROOT, "bin/ssot.js"), "scan", dir, "--format", "json", "--output", path.join(tmp, `${name}.json`), "--cache-location", cache];
const opts = { cwd: ROOT, okCodes: [0, 1], extraEnv: { SSOT_CODE_CACHE: codeCache } };
// Every cold run starts with an empty facts cache and an empty V8 code cache.
const fresh = async () => {
  rmSync(cache, { recursive: true, force: true });
  rmSync(codeCache, { recursive: true, force: true });
};

const dc = prepareDepcruise(path.join(BENCH, ".corpora", ".tools"));
// One forbidden rule, no cache. `skipAnalysisNotInRules` is the faster (stricter) reference; the default
// settings (every analysis, as dependency-cruiser ships) run too, unless BENCH_DEPCRUISE_FULL=0.
const dcArgsWith = (skipAnalysisNotInRules) => {
  const dcConfig = path.join(tmp, `depcruise-${skipAnalysisNotInRules}.config.cjs`);
  writeFileSync(dcConfig, `module.exports = ${JSON.stringify({
    forbidden: [{ name: "no-internal-from-outside", severity: "warn", from: { pathNot: "^packages/core/" }, to: { path: "^packages/core/.+/internal/" } }],
    options: { doNotFollow: { path: "node_modules" }, tsPreCompilationDeps: true, skipAnalysisNotInRules,
      enhancedResolveOptions: { mainFields: ["main", "types", "typings"], exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] } },
  }, null, 2)};\n`);
  return [dc.bin, "--config", dcConfig, "--output-type", "json", "--output-to", path.join(tmp, "dc.json"), ...readdirSync(dir).filter((d) => !d.startsWith(".") && d !== "node_modules" && statSync(path.join(dir, d)).isDirectory())];
};
const FULL = process.env.BENCH_DEPCRUISE_FULL !== "0";
// The runs the targets compare, in turns (see `interleaved` in measure.mjs).
const compared = await interleaved({
  parse: { run: () => measure(parse, { cwd: ROOT }) },
  cold: { setup: fresh, run: () => measure(scan("cold"), opts) },
  dc: { run: () => measure(dcArgsWith(true), { cwd: dir }) },
  ...(FULL ? { dcFull: { run: () => measure(dcArgsWith(false), { cwd: dir }) } } : {}),
});
const baseline = compared.parse;
const stats = JSON.parse(baseline.stdout);
row("bare parse", baseline);
row("ssot cold", compared.cold);
rmSync(cache, { recursive: true, force: true });
await measure(scan("cold-refill"), opts); // the warm runs start from a cold run's cache
row("ssot warm (unchanged)", await repeated(() => measure(scan("warm0"), opts)));
const probe = path.join(dir, probeArg ?? firstSource(dir));
const original = readFileSync(probe);
const { atime, mtime } = statSync(probe);
try {
  // Each edit is timed from a cache that has just seen the original file (an untimed scan).
  const edited = (name, prefix) =>
    repeated(() => measure(scan(name), opts), async () => {
      writeFileSync(probe, original);
      await measure(scan("reset"), opts);
      writeFileSync(probe, Buffer.concat([Buffer.from(prefix), original]));
    });
  row("ssot warm (1 file: lines inserted)", await edited("warm1", "// bench: edited\n\n"));
  row("ssot warm (1 file: new export)", await edited("warm1x", "export const benchProbe = 1;\n"));
  row("ssot warm (1 file: package import)", await edited("warm1i", "import 'node:path';\n"));
  row("ssot warm (1 file: project import)", await edited("warm1p", `import './${siblingOf(probe)}';\n`));
  const call = projectCallPrefix(probe);
  if (call) row("ssot warm (1 file: project import + call)", await edited("warm1c", call));
} finally {
  writeFileSync(probe, original);
  utimesSync(probe, atime, mtime);
}
const report = JSON.parse(readFileSync(path.join(tmp, "cold.json"), "utf8"));

row("dependency-cruiser", compared.dc);
const dcOut = compared.dc.ok ? JSON.parse(readFileSync(path.join(tmp, "dc.json"), "utf8")) : undefined;
if (FULL) row("dependency-cruiser (default analyses)", compared.dcFull);

console.log(`\n== ${path.basename(dir)}: ${stats.files} TypeScript files, ${(stats.bytes / 1e6).toFixed(1)} MB, median of ${RUNS} run${RUNS > 1 ? "s" : ""} ==`);
console.log(`${"measurement".padEnd(36)}${"wall s".padStart(8)}  ${"peak RSS MiB".padStart(12)}`);
for (const r of rows) console.log(`${r.label.padEnd(36)}${r.wall.toFixed(2).padStart(8)}  ${r.rss.toFixed(1).padStart(12)}${r.ok ? "" : "  FAILED"}${r.walls?.length > 1 ? `  runs ${r.walls.map((w) => w.toFixed(2)).join(" ")}` : ""}`);
const get = (label) => rows.find((r) => r.label === label).wall;
const ratio = (a, b) => (get(a) / get(b)).toFixed(2);
const full = rows.find((r) => r.label === "dependency-cruiser (default analyses)");
if (full) console.log(`cold / dependency-cruiser (default analyses) ${(get("ssot cold") / full.wall).toFixed(2)}`);
console.log(`cold / dependency-cruiser ${ratio("ssot cold", "dependency-cruiser")} (<= 0.33), cold / bare parse ${ratio("ssot cold", "bare parse")} (<= 1.5), ` +
  `warm lines-inserted / cold ${ratio("ssot warm (1 file: lines inserted)", "ssot cold")}, warm new-export / cold ${ratio("ssot warm (1 file: new export)", "ssot cold")}, warm package-import / cold ${ratio("ssot warm (1 file: package import)", "ssot cold")}, warm project-import / cold ${ratio("ssot warm (1 file: project import)", "ssot cold")}, ` +
  `warm project-import + call / cold ${rows.some((r) => r.label.includes("+ call")) ? ratio("ssot warm (1 file: project import + call)", "ssot cold") : "-"} (< 0.15), ` +
  `warm unchanged / cold ${ratio("ssot warm (unchanged)", "ssot cold")} (< 0.10), peak RSS cold ${rows.find((r) => r.label === "ssot cold").rss.toFixed(0)} MiB (< 400)`);
console.log(`ssot: ${report.coverage.files} files (${report.coverage.parsed} parsed, ${report.coverage.failed} failed, ${report.coverage.skipped.length} skipped), findings ${JSON.stringify(report.summary.byRule)}`);
if (dcOut) console.log(`dependency-cruiser: ${dcOut.summary.totalCruised} modules, ${dcOut.summary.totalDependenciesCruised} dependencies`);
if (passes.ok) {
  const [first, second] = JSON.parse(passes.stdout).passesMs.map((ms) => ms / 1000);
  console.log(`TypeScript's parser in one process: pass 1 ${first.toFixed(2)} s, pass 2 ${second.toFixed(2)} s: JIT warm-up ${(first - second).toFixed(2)} s (${((100 * (first - second)) / get("ssot cold")).toFixed(0)}% of ssot cold)`);
}
rmSync(tmp, { recursive: true, force: true });
process.exitCode = anyFailed() ? 1 : 0;

function firstSource(root) {
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) { const f = walk(p); if (f) return f; }
      else if (/\.ts$/.test(e.name) && !e.name.endsWith(".d.ts")) return p;
    }
    return undefined;
  };
  return path.relative(root, walk(root));
}
