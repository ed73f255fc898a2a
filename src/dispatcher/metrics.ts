import type { ToolStatus } from './types.js';

/** Tool-call statistics of one dispatcher (or several, via `aggregateMetrics`). */
export interface ToolDispatcherMetrics {
  calls: number;
  byStatus: Record<ToolStatus, number>;
  /** `byStatus.success / calls`; 0 before the first call. */
  successRate: number;
  /** Percentiles (nearest rank, ms) over the most recent call durations. */
  latency: { p50: number; p95: number; p99: number };
}

/** Anything `aggregateMetrics` can combine: it exposes its raw counts and recent durations. */
export interface MetricsSource {
  metricsSample(): MetricsSample;
}

/** Raw counters and the recent durations they were computed from. */
export interface MetricsSample {
  byStatus: Readonly<Record<ToolStatus, number>>;
  durations: readonly number[];
}

const STATUSES: readonly ToolStatus[] = Object.freeze(['success', 'error', 'not_found', 'invalid_params', 'forbidden', 'timeout', 'cancelled'] as const);

/** Counts per status plus a bounded ring of recent durations (memory does not grow with calls). */
export class MetricsRecorder implements MetricsSource {
  private readonly byStatus = emptyCounts();
  private readonly ring: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 1024) {}

  record(status: ToolStatus, durationMs: number): void {
    this.byStatus[status]++;
    if (this.ring.length < this.capacity) this.ring.push(durationMs);
    else this.ring[this.next] = durationMs;
    this.next = (this.next + 1) % this.capacity;
  }

  metricsSample(): MetricsSample {
    return { byStatus: { ...this.byStatus }, durations: [...this.ring] };
  }

  snapshot(): ToolDispatcherMetrics {
    return summarize([this.metricsSample()]);
  }
}

/**
 * Combines the metrics of several dispatchers: counts add up, percentiles are recomputed over the
 * union of their recent durations (not averaged, which would be meaningless).
 */
export function aggregateMetrics(sources: Iterable<MetricsSource>): ToolDispatcherMetrics {
  return summarize([...sources].map((source) => source.metricsSample()));
}

function summarize(samples: readonly MetricsSample[]): ToolDispatcherMetrics {
  const byStatus = emptyCounts();
  const durations: number[] = [];
  for (const sample of samples) {
    for (const status of STATUSES) byStatus[status] += sample.byStatus[status];
    durations.push(...sample.durations);
  }
  durations.sort((a, b) => a - b);
  const calls = STATUSES.reduce((sum, status) => sum + byStatus[status], 0);
  return {
    calls,
    byStatus,
    successRate: calls === 0 ? 0 : byStatus.success / calls,
    latency: { p50: percentile(durations, 50), p95: percentile(durations, 95), p99: percentile(durations, 99) },
  };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function emptyCounts(): Record<ToolStatus, number> {
  return { success: 0, error: 0, not_found: 0, invalid_params: 0, forbidden: 0, timeout: 0, cancelled: 0 };
}
