/**
 * Stage timings for diagnosing slow runs: `SSOT_TIMING=1 ssot scan .` prints each stage's wall time
 * to stderr. Off by default; costs one environment lookup per stage.
 */
const enabled = process.env.SSOT_TIMING === '1';
const started = performance.now();

export function mark(stage: string): void {
  if (!enabled) return;
  const { rss, heapUsed } = process.memoryUsage();
  const mib = (n: number): string => `${(n / 1048576).toFixed(0)} MiB`;
  process.stderr.write(`[ssot timing] ${(performance.now() - started).toFixed(0).padStart(6)} ms  rss ${mib(rss).padStart(8)}  heap ${mib(heapUsed).padStart(8)}  ${stage}\n`);
}
