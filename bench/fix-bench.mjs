// `ssot fix --dry-run` against a plain jscodeshift run of the same transform (rewrite-imports), same
// options, over the same corpus: bench/.corpora/fix-<size> (generate-corpus.mjs, variant "fix"), where
// 30% of the files import the one legacy module of the config by relative specifiers, in every form
// rewrite-imports rewrites. ssot fix scans, then transforms only the files the scan found; jscodeshift
// transforms every file. Both run dry. Run by bench/run.mjs (`node bench/run.mjs --only fix` runs only this).
//
// Rows, each in its own node process (wall time, peak RSS through bench/rss-probe.mjs):
//   ssot fix cold, --no-cache       no scan cache, empty V8 code cache
//   ssot fix cold, fresh cache dir  empty --cache-location (this run fills it), empty V8 code cache
//   ssot fix warm                   same cache dir again: the scan comes from the cache
//   jscodeshift                     node_modules/jscodeshift/bin/jscodeshift.js with its default worker
//                                   count (cpus - 1, at least 1), all .ts files of the corpus
// `--phase consumers`: the phase that runs rewrite-imports (the other phases run other transforms).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measure as measureIn } from "./measure.mjs";
import { FIX_LEGACY_MODULE, FIX_RENAMES, FIX_SSOT_MODULE, GENERATOR_VERSION, STAMP_FILE, generateCorpus } from "./generate-corpus.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const CORPORA = path.join(BENCH, ".corpora");
const SSOT_BIN = path.join(ROOT, "bin/ssot.js");
const JSCODESHIFT_BIN = path.join(ROOT, "node_modules/jscodeshift/bin/jscodeshift.js");
const TRANSFORM = path.join(ROOT, "transforms/rewrite-imports.ts");

const LABELS = {
  fixNoCache: "ssot fix --dry-run cold (--no-cache)",
  fixCold: "ssot fix --dry-run cold (fresh cache)",
  fixWarm: "ssot fix --dry-run warm (cached)",
  jscodeshift: "jscodeshift --dry (all files)",
};

function ensureFixCorpus(size, seed, rewriteRatio) {
  const dir = path.join(CORPORA, `fix-${size}`);
  const stampFile = path.join(dir, STAMP_FILE);
  if (existsSync(stampFile)) {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
    if (stamp.generator === GENERATOR_VERSION && stamp.variant === "fix" && stamp.files === size && stamp.seed === seed && stamp.rewriteRatio === rewriteRatio) {
      return { dir, stamp, generated: false };
    }
  }
  process.stdout.write(`generating ${size} files (fix variant) into ${path.relative(ROOT, dir)} ... `);
  const stamp = generateCorpus(dir, { files: size, seed, rewriteRatio, variant: "fix" });
  console.log(`${(stamp.ms / 1000).toFixed(2)} s`);
  return { dir, stamp, generated: true };
}

/** "dry run: N files would change, N imports rewritten, ..." from ssot fix's stderr. */
function ssotCounts(r) {
  const m = /dry run: (\d+) files? would change, (\d+) imports? rewritten.*?(\d+) files? skipped/.exec(r.stderr ?? "");
  return m ? { files: Number(m[1]), imports: Number(m[2]), skipped: Number(m[3]) } : undefined;
}

/** jscodeshift's "Results:" block and worker count. */
function jscodeshiftCounts(r) {
  const n = (word) => Number(new RegExp(`^(\\d+) ${word}\\b`, "m").exec(r.stdout)?.[1] ?? NaN);
  const workers = Number(/Spawning (\d+) workers?/.exec(r.stdout)?.[1] ?? NaN);
  return { files: n("ok"), ok: n("ok"), unmodified: n("unmodified"), skipped: n("skipped"), errors: n("errors"), workers };
}

export async function benchFix({ size = 10000, seed = 1, rewriteRatio = 0.3 } = {}) {
  const { dir, stamp, generated } = ensureFixCorpus(size, seed, rewriteRatio);
  const s = stamp.stats;
  const tmp = mkdtempSync(path.join(os.tmpdir(), `ssot-bench-fix-${size}-`));
  const measure = (args, options = {}) => measureIn(args, { cwd: ROOT, ...options });
  const results = {};
  try {
    await measure([path.join(BENCH, "bare-parse.mjs"), dir, "--read-only"]); // untimed: warm the page cache
    const cache = path.join(tmp, "ssot-cache");
    mkdirSync(cache);
    const fixArgs = (name, cacheArgs) => [SSOT_BIN, "fix", dir, "--dry-run", "--phase", "consumers", ...cacheArgs, "--output", path.join(tmp, `${name}.diff`)];
    // Each cold run starts with its own empty V8 code cache (ssot keeps one for the compiler it loads).
    const opts = (codeCache) => ({ okCodes: [0, 1], extraEnv: { SSOT_CODE_CACHE: path.join(tmp, codeCache) } });
    const diffFiles = (name) => {
      const file = path.join(tmp, `${name}.diff`);
      return existsSync(file) ? (readFileSync(file, "utf8").match(/^\+\+\+ /gm) ?? []).length : undefined;
    };
    const run = async (key, name, cacheArgs, codeCache) => {
      const r = await measure(fixArgs(name, cacheArgs), opts(codeCache));
      results[key] = { ...r, counts: r.ok ? { ...ssotCounts(r), diffFiles: diffFiles(name) } : undefined };
    };
    await run("fixNoCache", "no-cache", ["--no-cache"], "code-cache-1");
    await run("fixCold", "cold", ["--cache-location", cache], "code-cache-2");
    await run("fixWarm", "warm", ["--cache-location", cache], "code-cache-2");

    const abs = (rel) => path.join(dir, rel);
    const js = await measure([JSCODESHIFT_BIN, "-t", TRANSFORM, "--parser=ts", "--extensions=ts", "--dry",
      `--legacy=${abs(FIX_LEGACY_MODULE)}`, `--ssot=${abs(FIX_SSOT_MODULE)}`, `--renames=${JSON.stringify(FIX_RENAMES)}`, path.join(dir, "packages")]);
    results.jscodeshift = { ...js, counts: js.ok ? jscodeshiftCounts(js) : undefined };
    report(size, dir, stamp, generated, results);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

function report(size, dir, stamp, generated, results) {
  const s = stamp.stats;
  const fmt = (n, d = 2) => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(d));
  const pad = (x, w) => String(x).padStart(w);
  const js = results.jscodeshift;
  const ratio = (k) => (results[k]?.ok && js?.ok ? results[k].wall / js.wall : undefined);
  const rssRatio = (k) => (results[k]?.ok && js?.ok ? results[k].rssMiB / js.rssSumMiB : undefined);
  const regular = stamp.files - 3 - s.packages.length;
  console.log(`\n== ssot fix --dry-run vs jscodeshift: ${size.toLocaleString("en-US")} files (${path.relative(ROOT, dir)}), seed ${stamp.seed}, ` +
    `${s.lines.toLocaleString("en-US")} lines; ${s.legacyImporters.toLocaleString("en-US")} files import the legacy module ` +
    `(${((100 * s.legacyImporters) / regular).toFixed(1)}% of ${regular.toLocaleString("en-US")} regular files) ` +
    `(corpus ${generated ? `generated in ${(stamp.ms / 1000).toFixed(2)} s` : "reused"}) ==`);
  console.log(`  legacy import forms: ${JSON.stringify(s.legacyForms)}`);
  console.log(`${"measurement".padEnd(40)}${pad("wall s", 9)}${pad("peak RSS MiB", 14)}${pad("files changed", 15)}  notes`);
  for (const [k, label] of Object.entries(LABELS)) {
    const r = results[k];
    if (!r) continue;
    const c = r.counts;
    let note = r.ok ? "" : `FAILED (exit ${r.code})`;
    let rss = fmt(r.rssMiB, 1);
    if (r.ok && k === "jscodeshift") {
      rss = `${fmt(r.rssSumMiB, 1)}`;
      note = `${c.workers} worker${c.workers === 1 ? "" : "s"} (default); RSS = sum of ${r.procs} processes' peaks (max ${fmt(r.rssMiB, 1)}); ` +
        `${c.ok} ok, ${c.skipped} skipped, ${c.unmodified} unmodified, ${c.errors} errors`;
    } else if (r.ok && c) {
      note = `${c.imports} imports rewritten, ${c.skipped} files skipped, ${c.diffFiles} files in the diff`;
    }
    console.log(`${label.padEnd(40)}${pad(fmt(r.wall), 9)}${pad(rss, 14)}${pad(c?.files ?? "-", 15)}  ${note}`);
  }
  console.log(`\n${"ratio ssot fix / jscodeshift".padEnd(40)}${pad("wall", 9)}${pad("peak RSS", 14)}`);
  for (const k of ["fixNoCache", "fixCold", "fixWarm"]) {
    console.log(`${LABELS[k].replace("ssot fix --dry-run ", "").padEnd(40)}${pad(fmt(ratio(k), 3), 9)}${pad(fmt(rssRatio(k), 3), 14)}`);
  }
  const counts = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.counts?.files]));
  const same = Object.values(counts).every((n) => n === counts.jscodeshift && n !== undefined);
  console.log(`files changed: ${same ? `all runs agree (${counts.jscodeshift})` : `MISMATCH ${JSON.stringify(counts)}`}` +
    ` (${s.legacyImporters} legacy importers + packages/core/src/tools/tool-dispatcher.ts, which imports the legacy module too)`);
  const out = path.join(CORPORA, `results-fix-${size}.json`);
  writeFileSync(out, `${JSON.stringify({
    size, seed: stamp.seed, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
    corpus: { ...s, variant: "fix", generatedNow: generated, generationMs: stamp.ms },
    measurements: Object.fromEntries(Object.entries(LABELS).map(([k, label]) => {
      const r = results[k];
      return [k, r ? { label, wallSeconds: r.wall, peakRssMiB: r.rssMiB, peakRssSumMiB: r.rssSumMiB, processes: r.procs, exitCode: r.code, ok: r.ok, counts: r.counts } : { label, skipped: true }];
    })),
    ratios: Object.fromEntries(["fixNoCache", "fixCold", "fixWarm"].map((k) => [k, { wall: ratio(k), peakRss: rssRatio(k) }])),
    filesChangedAgree: same,
  }, null, 2)}\n`);
  console.log(`results: ${path.relative(ROOT, out)}`);
}
