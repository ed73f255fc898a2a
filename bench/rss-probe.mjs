// Preloaded with `--import` into every node process the benchmark starts (through
// NODE_OPTIONS, so node grandchildren are measured too). On exit, appends
// "<pid> <maxRSS KiB>" to $RSS_PROBE_OUT. maxRSS is the kernel's peak resident set
// size of the whole process (all threads, workers included), from getrusage(2).
import { appendFileSync } from "node:fs";

const out = process.env.RSS_PROBE_OUT;
if (out) {
  process.on("exit", () => {
    try {
      appendFileSync(out, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // never change the exit status of the measured program
    }
  });
}
