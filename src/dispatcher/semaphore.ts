import type { AbortWatch } from './abort-watch.js';

/**
 * Caps how many tool calls of one run execute at once; excess callers wait in FIFO order. A waiter
 * whose signal aborts leaves the queue and gets `false`.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  /** `aborts` watches the waiters' signals (one listener per signal, however many wait). */
  constructor(private readonly limit: number, private readonly aborts: AbortWatch) {}

  /** Resolves `true` once a slot is held (release it with `release()`), `false` if a signal aborted first. */
  acquire(signals: readonly (AbortSignal | undefined)[]): Promise<boolean> {
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    if (live.some((s) => s.aborted)) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const grant = (): void => {
        stopWatching();
        this.active++;
        resolve(true);
      };
      const stopWatching = this.aborts.watch(live, () => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(false);
      });
      this.waiters.push(grant);
    });
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  /** Calls holding a slot now. */
  get inFlight(): number {
    return this.active;
  }
}
