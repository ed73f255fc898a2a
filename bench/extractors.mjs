// Cold scans of builds side by side (written to decide between extractors, issue 20, "One source of facts"):
//   node bench/extractors.mjs <dir>
// In turns (see `interleaved` in measure.mjs), each in its own node process: a bare TypeScript parse
// (bench/bare-parse.mjs), dependency-cruiser (one forbidden rule, only the analyses it needs, as in
// real-repo.mjs), and ssot cold for every build × extractor setting × cache kind:
//   BENCH_SSOT="before=/tmp/a/bin/ssot.js:auto,after=bin/ssot.js" (default: this checkout's bin/ssot.js);
//   an optional `:value` sets SSOT_EXTRACTOR for that build (builds before the oxc extractor was removed)
//   BENCH_EXTRACTORS="auto,typescript": SSOT_EXTRACTOR values for every build; the default "-" leaves
//   it unset
//   BENCH_CACHES="no-cache,fresh,code-cached" (the default: all three): --no-cache, and a fresh
//   --cache-location, both with an empty V8 code cache; --no-cache again with the code cache a previous
//   run left (what any run after the first finds).
// Prints median wall and CPU (user + system, every thread) time, the largest peak RSS, and the ratios the
// targets name: cold / dependency-cruiser (<= 0.3) and cold / bare parse (<= 1.5).
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepareDepcruise } from "./depcruise.mjs";
import { interleaved, measure, RUNS } from "./measure.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const [dirArg] = process.argv.slice(2);
if (!dirArg) {
  console.error("usage: node bench/extractors.mjs <dir>");
  process.exit(2);
}
const dir = path.resolve(dirArg);
const tmp = mkdtempSync(path.join(os.tmpdir(), "ssot-extractors-"));
const builds = (process.env.BENCH_SSOT ?? `current=${path.join(ROOT, "bin/ssot.js")}`).split(",").map((s) => {
  const [label, spec] = s.split("=");
  const [bin, extractor] = spec.split(":");
  return { label, bin, extractors: extractor ? [extractor] : undefined };
});
const extractors = (process.env.BENCH_EXTRACTORS ?? "-").split(",");
const caches = new Set((process.env.BENCH_CACHES ?? "no-cache,fresh,code-cached").split(","));

const dc = prepareDepcruise(path.join(BENCH, ".corpora", ".tools"));
const dcConfig = path.join(tmp, "depcruise.config.cjs");
writeFileSync(dcConfig, `module.exports = ${JSON.stringify({
  forbidden: [{ name: "no-internal-from-outside", severity: "warn", from: { pathNot: "^packages/core/" }, to: { path: "^packages/core/.+/internal/" } }],
  options: { doNotFollow: { path: "node_modules" }, tsPreCompilationDeps: true, skipAnalysisNotInRules: true,
    enhancedResolveOptions: { mainFields: ["main", "types", "typings"], exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] } },
}, null, 2)};\n`);
const folders = readdirSync(dir).filter((d) => !d.startsWith(".") && d !== "node_modules" && statSync(path.join(dir, d)).isDirectory());
const dcArgs = [dc.bin, "--config", dcConfig, "--output-type", "json", "--output-to", path.join(tmp, "dc.json"), ...folders];

const specs = {
  "bare parse": { run: () => measure([path.join(BENCH, "bare-parse.mjs"), dir], { cwd: ROOT }) },
  "dependency-cruiser": { run: () => measure(dcArgs, { cwd: dir }) },
};
for (const { label, bin, extractors: own } of builds) {
  for (const extractor of own ?? extractors) {
    const name = extractor === "-" ? label : `${label} ${extractor}`;
    const codeCache = path.join(tmp, `code-${label}-${extractor}`);
    const cache = path.join(tmp, `cache-${label}-${extractor}`);
    const env = { SSOT_CODE_CACHE: codeCache, ...(extractor === "-" ? {} : { SSOT_EXTRACTOR: extractor }) };
    const scan = (...flags) => [path.resolve(ROOT, bin), "scan", dir, "--format", "json", "--output", path.join(tmp, `${label}-${extractor}.json`), ...flags];
    const opts = { cwd: ROOT, okCodes: [0, 1], extraEnv: env };
    const empty = (...dirs) => async () => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); };
    if (caches.has("no-cache")) specs[`${name} --no-cache`] = { setup: empty(codeCache), run: () => measure(scan("--no-cache"), opts) };
    if (caches.has("fresh")) specs[`${name} fresh cache`] = { setup: empty(codeCache, cache), run: () => measure(scan("--cache-location", cache), opts) };
    // The code cache an earlier run wrote is there (one untimed run first if none did): a cold facts cache, as on any run after the first.
    if (caches.has("code-cached")) {
      specs[`${name} --no-cache, code cached`] = { setup: async (i) => { if (i === 0 && !caches.has("fresh") && !caches.has("no-cache")) await measure(scan("--no-cache"), opts); }, run: () => measure(scan("--no-cache"), opts) };
    }
  }
}

const results = await interleaved(specs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rows = Object.entries(results).map(([label, r]) => ({ label, wall: median(r.walls), cpu: median(r.cpus), rss: r.rssMiB, ok: r.ok, walls: r.walls, cpus: r.cpus }));
const of = (label) => rows.find((r) => r.label === label);
const dcRow = of("dependency-cruiser");
const parseRow = of("bare parse");
console.log(`\n== ${path.basename(dir)}: median of ${RUNS} run${RUNS > 1 ? "s" : ""}, in turns ==`);
console.log(`${"measurement".padEnd(44)}${"wall s".padStart(8)}${"cpu s".padStart(8)}${"peak MiB".padStart(10)}${"wall/dc".padStart(9)}${"cpu/dc".padStart(8)}${"wall/parse".padStart(11)}${"cpu/parse".padStart(10)}  runs (wall | cpu)`);
for (const r of rows) {
  console.log(`${r.label.padEnd(44)}${r.wall.toFixed(2).padStart(8)}${r.cpu.toFixed(2).padStart(8)}${r.rss.toFixed(0).padStart(10)}` +
    `${(r.wall / dcRow.wall).toFixed(2).padStart(9)}${(r.cpu / dcRow.cpu).toFixed(2).padStart(8)}${(r.wall / parseRow.wall).toFixed(2).padStart(11)}${(r.cpu / parseRow.cpu).toFixed(2).padStart(10)}` +
    `  ${r.walls.map((w) => w.toFixed(2)).join(" ")} | ${r.cpus.map((c) => c.toFixed(2)).join(" ")}${r.ok ? "" : "  FAILED"}`);
}
rmSync(tmp, { recursive: true, force: true });
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
