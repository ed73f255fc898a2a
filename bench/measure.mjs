// Runs one node command with the RSS probe preloaded: wall time, peak RSS and CPU time (every node
// process it starts reports its own maxRSS and CPU time through bench/rss-probe.mjs), exit code and stdout.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PROBE = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-probe.mjs")).href;
let failed = false;

/** Whether any measured command failed to run. */
export const anyFailed = () => failed;

/** Runs `node <args>` with the RSS probe preloaded; wall time, peak RSS, CPU time (user + system, s), exit code, output. */
export function measure(args, { cwd, okCodes = [0], extraEnv = {} } = {}) {
  const probeOut = path.join(os.tmpdir(), `ssot-bench-rss-${process.pid}-${Date.now()}.txt`);
  const env = { ...process.env, ...extraEnv, RSS_PROBE_OUT: probeOut, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${PROBE}`.trim() };
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { if (stdout.length < 1e6) stdout += d; });
    child.stderr.on("data", (d) => { if (stderr.length < 1e6) stderr += d; });
    child.on("error", (error) => { stderr += String(error); });
    child.on("close", (code, signal) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      let rssKiB = 0;
      let rssSumKiB = 0;
      let procs = 0;
      let cpuMicros = 0;
      if (existsSync(probeOut)) {
        for (const line of readFileSync(probeOut, "utf8").trim().split("\n")) {
          const [, kib, user, system] = line.split(" ").map(Number);
          if (kib > 0) { rssKiB = Math.max(rssKiB, kib); rssSumKiB += kib; procs++; }
          cpuMicros += (user || 0) + (system || 0);
        }
        rmSync(probeOut, { force: true });
      }
      const ok = signal === null && okCodes.includes(code);
      if (!ok) {
        failed = true;
        console.error(`\n[bench] FAILED (exit ${code ?? signal}): node ${args.join(" ")}\n${stderr.slice(-4000)}`);
      }
      // rssSumMiB: the sum of every process's own peak (an upper bound of their peak together).
      // cpu: user + system time of every probed process, all threads (the machine may be shared: less noisy than wall).
      resolve({ wall, cpu: cpuMicros / 1e6, rssMiB: rssKiB / 1024, rssSumMiB: rssSumKiB / 1024, procs, code, ok, stdout, stderr });
    });
  });
}


/** Runs per measurement (BENCH_RUNS, default 3): the median wall time is reported, with the largest peak RSS. */
export const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** `run()` RUNS times (each after `setup()`, untimed): the median run, with every wall time and the largest peak RSS. */
export async function repeated(run, setup = async () => {}) {
  const all = [];
  for (let i = 0; i < RUNS; i++) {
    await setup(i);
    all.push(await run(i));
  }
  const sorted = [...all].sort((a, b) => a.wall - b.wall);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...median, ok: all.every((r) => r.ok), walls: all.map((r) => r.wall), cpus: all.map((r) => r.cpu), rssMiB: Math.max(...all.map((r) => r.rssMiB)) };
}

/**
 * Several measurements taken in turns, RUNS rounds of one run each (each after its `setup`, untimed),
 * so that the machine's drift over minutes reaches them alike and their ratios hold: per key, the
 * median run, with every wall time and the largest peak RSS, as `repeated` gives.
 */
export async function interleaved(specs) {
  const all = Object.fromEntries(Object.keys(specs).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [k, { run, setup }] of Object.entries(specs)) {
      await setup?.(i);
      all[k].push(await run(i));
    }
  }
  return Object.fromEntries(Object.entries(all).map(([k, runs]) => {
    const sorted = [...runs].sort((a, b) => a.wall - b.wall);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    return [k, { ...median, ok: runs.every((r) => r.ok), walls: runs.map((r) => r.wall), cpus: runs.map((r) => r.cpu), rssMiB: Math.max(...runs.map((r) => r.rssMiB)) }];
  }));
}
