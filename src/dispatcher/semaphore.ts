/**
 * Caps how many tool calls of one run execute at once; excess callers wait in FIFO order. A waiter
 * whose signal aborts leaves the queue and gets `false`.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Resolves `true` once a slot is held (release it with `release()`), `false` if a signal aborted first. */
  acquire(signals: readonly (AbortSignal | undefined)[]): Promise<boolean> {
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    if (live.some((s) => s.aborted)) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const detach = (): void => {
        for (const signal of live) signal.removeEventListener('abort', onAbort);
      };
      const grant = (): void => {
        detach();
        this.active++;
        resolve(true);
      };
      const onAbort = (): void => {
        detach();
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(false);
      };
      for (const signal of live) signal.addEventListener('abort', onAbort, { once: true });
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
