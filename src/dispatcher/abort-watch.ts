/**
 * Many calls waiting on the same few signals, with one 'abort' listener per signal. A run's signal
 * and its dispatcher's live as long as the run, and every call of the run waits on them (for a
 * concurrency slot, then while it executes): a listener per call on them made Node print
 * MaxListenersExceededWarning at the 11th concurrent call. Raising the limit would only hide a
 * listener count that grows with the calls; this keeps it at one per signal. Owned by one dispatcher.
 */
export class AbortWatch {
  private readonly watched = new Map<AbortSignal, { listener: () => void; callbacks: Set<() => void> }>();

  /**
   * Calls `onAbort` once, when the first of `signals` aborts; returns the function that stops
   * watching (call it when the wait ends otherwise). Check `aborted` before: an already aborted
   * signal does not fire again.
   */
  watch(signals: readonly AbortSignal[], onAbort: () => void): () => void {
    let active = true;
    const stop = (): void => {
      if (!active) return;
      active = false;
      for (const signal of signals) this.remove(signal, fire);
    };
    const fire = (): void => {
      if (!active) return;
      stop();
      onAbort();
    };
    for (const signal of signals) this.add(signal, fire);
    return stop;
  }

  private add(signal: AbortSignal, callback: () => void): void {
    let entry = this.watched.get(signal);
    if (!entry) {
      const callbacks = new Set<() => void>();
      const listener = (): void => {
        this.watched.delete(signal);
        for (const fire of [...callbacks]) fire();
      };
      entry = { listener, callbacks };
      this.watched.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.callbacks.add(callback);
  }

  private remove(signal: AbortSignal, callback: () => void): void {
    const entry = this.watched.get(signal);
    if (!entry) return;
    entry.callbacks.delete(callback);
    if (entry.callbacks.size > 0) return;
    this.watched.delete(signal);
    signal.removeEventListener('abort', entry.listener);
  }
}
