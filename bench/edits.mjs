// The one-file edits the benchmarks time that touch the project graph: an import of another module of
// the project, and an import of one of its functions with a call of it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The other TypeScript files next to `file`, sorted. */
function siblings(file) {
  return readdirSync(path.dirname(file)).filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts") && f !== path.basename(file)).sort();
}

/** Another TypeScript file in the same folder, extension dropped: what an import of a project module names. */
export function siblingOf(file) {
  const name = siblings(file)[0];
  if (!name) throw new Error(`no other TypeScript file next to ${file}`);
  return name.replace(/\.tsx?$/, "");
}

/**
 * Lines that import an exported function (declared, or an arrow function const; or else a class) of a
 * file next to `file` and call (or construct) it from a new function, as a developer wiring in a helper writes them; undefined when no
 * file next to it exports either.
 */
export function projectCallPrefix(file) {
  const patterns = [
    [/^export (?:async )?function (\w+)/m, "benchHelper()"],
    [/^export const (\w+) = (?:async )?(?:\(|function\b)/m, "benchHelper()"],
    [/^export class (\w+)/m, "new benchHelper()"],
  ];
  for (const [pattern, call] of patterns) {
    for (const name of siblings(file)) {
      const m = pattern.exec(readFileSync(path.join(path.dirname(file), name), "utf8"));
      if (m) return `import { ${m[1]} as benchHelper } from './${name.replace(/\.tsx?$/, "")}';\nexport function benchCall(): unknown {\n  return ${call};\n}\n`;
    }
  }
  return undefined;
}

/** A new class: a discovery candidate, read by shared-state and name-collision, so not inert. */
export const NEW_CLASS_PREFIX = "export class BenchProbeClass {\n  run(): void {}\n}\n";

/** The relative specifier from `file` to `target` (absolute paths), as a developer writes it. */
function specifier(file, target) {
  const spec = path.relative(path.dirname(file), target).split(path.sep).join("/").replace(/\.(tsx?|jsx?|mjs|cjs)$/, "").replace(/\/index$/, "");
  return spec.startsWith(".") ? spec : `./${spec}`;
}

/**
 * An import of a file that imports `file` (by a relative specifier naming it), closing an import cycle;
 * undefined when no file of `files` (absolute paths) does.
 */
export function cycleImportPrefix(file, files) {
  const stem = path.basename(file).replace(/\.tsx?$/, "");
  for (const other of files) {
    if (other === file || !/\.tsx?$/.test(other)) continue;
    const text = readFileSync(other, "utf8");
    for (const m of text.matchAll(/from ['"](\.[^'"]*)['"]/g)) {
      if (!m[1].endsWith(`/${stem}`) && m[1] !== `./${stem}`) continue;
      if (path.resolve(path.dirname(other), m[1]) === file.replace(/\.tsx?$/, "")) return `import '${specifier(file, other)}';\n`;
    }
  }
  return undefined;
}

/** An import of the module of an implementation a scan reported (`result.groups`): in the consumer map's reach, so not inert. */
export function implementationImportPrefix(file, root, result) {
  for (const g of result.groups ?? []) {
    for (const impl of g.implementations) {
      const target = path.join(root, impl.file);
      if (target !== file && /\.tsx?$/.test(target)) return `import '${specifier(file, target)}';\n`;
    }
  }
  return undefined;
}

/** Every TypeScript file under `root`, outside node_modules and dot folders. */
function sourcesOf(root) {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter((f) => !/[\\/](node_modules|\.[^\\/]+)[\\/]/.test(path.relative(root, f)));
}

/**
 * `node bench/edits.mjs <dir> [probe-file] [runs]`: every one-file edit kind, inert or not, timed (wall and CPU,
 * the median of `runs`, default 3) against ssot cold, each from a cache that has just seen the original file;
 * each edit's findings are checked against a run without the cache. The probe file is restored afterwards.
 */
async function main([dirArg, probeArg, runsArg]) {
  const dir = path.resolve(dirArg);
  const runs = Number(runsArg ?? 3);
  // BENCH_EDITS: a pattern picking the edit kinds to time (all by default).
  const only = process.env.BENCH_EDITS ? new RegExp(process.env.BENCH_EDITS) : undefined;
  // SSOT_BIN: another build of the CLI (a private copy of dist/), so that a rebuild meanwhile does not change what is timed.
  const bin = process.env.SSOT_BIN ? path.resolve(process.env.SSOT_BIN) : path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "bin", "ssot.js");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "ssot-edits-"));
  const cache = path.join(tmp, "cache");
  const scan = (name, extra = ["--cache-location", cache]) => {
    const out = path.join(tmp, `${name}.json`);
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", process.execPath, bin, "scan", dir, "--format", "json", "--output", out, ...extra], { encoding: "utf8" });
    const [wall, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
    return { wall, cpu: user + sys, result: JSON.parse(readFileSync(out, "utf8")) };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timed = (name, setup) => {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      setup();
      samples.push(scan(name));
    }
    return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)), result: samples.at(-1).result };
  };
  const cold = timed("cold", () => rmSync(cache, { recursive: true, force: true }));
  const files = sourcesOf(dir);
  const probe = probeArg ? path.resolve(dir, probeArg) : files.sort()[0];
  const original = readFileSync(probe);
  const { atime, mtime } = statSync(probe);
  const kinds = [
    ["lines inserted", "// bench: edited\n\n"],
    ["new export", "export const benchProbe = 1;\n"],
    ["package import", "import 'node:path';\n"],
    ["project import", `import './${siblingOf(probe)}';\n`],
    ["project import + call", projectCallPrefix(probe)],
    ["new class", NEW_CLASS_PREFIX],
    ["import closing a cycle", cycleImportPrefix(probe, files)],
    ["import of an implementation's module", implementationImportPrefix(probe, dir, cold.result)],
  ];
  console.log(`${path.basename(dir)}: ${files.length} TypeScript files, probe ${path.relative(dir, probe)}, median of ${runs}`);
  console.log(`${"edit".padEnd(40)}${"wall s".padStart(8)}${"% cold".padStart(8)}${"cpu s".padStart(8)}${"% cold".padStart(8)}  reused   findings`);
  console.log(`${"cold".padEnd(40)}${cold.wall.toFixed(2).padStart(8)}${"".padStart(8)}${cold.cpu.toFixed(2).padStart(8)}`);
  try {
    for (const [name, prefix] of kinds) {
      if (only && !only.test(name)) continue;
      if (!prefix) {
        console.log(`${name.padEnd(40)}  (no such edit for this probe)`);
        continue;
      }
      const r = timed(name, () => {
        writeFileSync(probe, original);
        utimesSync(probe, atime, mtime);
        scan("reset");
        writeFileSync(probe, Buffer.concat([Buffer.from(prefix), original]));
      });
      const full = scan(`${name}-full`, ["--no-cache"]).result;
      const same = JSON.stringify(r.result.findings) === JSON.stringify(full.findings);
      if (!same) process.exitCode = 1;
      const pct = (x, y) => ((100 * x) / y).toFixed(0).padStart(7) + "%";
      console.log(`${name.padEnd(40)}${r.wall.toFixed(2).padStart(8)}${pct(r.wall, cold.wall)}${r.cpu.toFixed(2).padStart(8)}${pct(r.cpu, cold.cpu)}  ${(r.result.coverage.reused ?? "full").padEnd(8)} ${same ? "same as --no-cache" : "DIFFER from --no-cache"}`);
    }
  } finally {
    writeFileSync(probe, original);
    utimesSync(probe, atime, mtime);
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
