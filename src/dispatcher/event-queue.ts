import { describeThrown } from './describe-thrown.js';
import type { EventEnvelope, EventSink } from './types.js';

/** An in-process listener; exceptions it throws are swallowed. */
export type EventListener = (event: EventEnvelope) => void;

/** Called when a sink throws, rejects or does not settle within the delivery timeout. */
export type SinkErrorHandler = (error: Error, event: EventEnvelope) => void;

/**
 * Fans a dispatcher's events out to its sinks and listeners. Listeners are called synchronously,
 * in order. Each sink gets its own ordered queue drained asynchronously, one `emit` at a time, each
 * awaited at most `timeoutMs`: a sink that throws, rejects or stalls delays only its own later
 * events, never another sink, a result, or the run that produced the event.
 */
export class EventQueue {
  private readonly channels: SinkChannel[];
  private readonly listeners = new Set<EventListener>();

  constructor(sinks: readonly EventSink[], timeoutMs: number, onError: SinkErrorHandler | undefined) {
    this.channels = sinks.map((sink) => new SinkChannel(sink, timeoutMs, onError));
  }

  push(event: EventEnvelope): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener is an observer: its failure must not change the run it observes.
      }
    }
    for (const channel of this.channels) channel.push(event);
  }

  /** Adds a listener; returns its removal. */
  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  /** Resolves when every event pushed so far was delivered, failed or timed out on every sink. */
  async flush(): Promise<void> {
    await Promise.all(this.channels.map((channel) => channel.idle()));
  }
}

class SinkChannel {
  private readonly pending: EventEnvelope[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly sink: EventSink,
    private readonly timeoutMs: number,
    private readonly onError: SinkErrorHandler | undefined,
  ) {}

  push(event: EventEnvelope): void {
    this.pending.push(event);
    this.draining ??= this.drain();
  }

  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Start delivering after the current synchronous step: emitting never runs inside the run.
    await Promise.resolve();
    for (let event = this.pending.shift(); event; event = this.pending.shift()) {
      try {
        await deliver(this.sink, event, this.timeoutMs);
      } catch (error) {
        this.report(error, event);
      }
    }
    this.draining = undefined;
  }

  private report(error: unknown, event: EventEnvelope): void {
    try {
      // instanceof reads the prototype, which a revoked proxy refuses: it too becomes an Error with a text.
      let reported: Error;
      try {
        reported = error instanceof Error ? error : new Error(describeThrown(error));
      } catch {
        reported = new Error(describeThrown(error));
      }
      this.onError?.(reported, event);
    } catch {
      // The error handler is diagnostics only.
    }
  }
}

function deliver(sink: EventSink, event: EventEnvelope, timeoutMs: number): Promise<void> | void {
  const pending = sink.emit(event);
  if (!pending || typeof (pending as Promise<void>).then !== 'function') return;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sink did not settle within ${timeoutMs} ms (event ${event.type} seq ${event.seq})`)), timeoutMs);
    Promise.resolve(pending).then(
      () => { clearTimeout(timer); resolve(); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}
