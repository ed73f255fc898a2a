// Preloaded with `--import` into every node process the benchmark starts (through
// NODE_OPTIONS, so node grandchildren are measured too). On exit, appends
// "<pid> <maxRSS KiB> <user CPU µs> <system CPU µs>" to $RSS_PROBE_OUT. maxRSS is the kernel's peak
// resident set size of the whole process, and the CPU times its own (all threads, workers included),
// from getrusage(2).
import { appendFileSync } from "node:fs";

const out = process.env.RSS_PROBE_OUT;
if (out) {
  process.on("exit", () => {
    try {
      const usage = process.resourceUsage();
      appendFileSync(out, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime} ${usage.systemCPUTime}\n`);
    } catch {
      // never change the exit status of the measured program
    }
  });
}
