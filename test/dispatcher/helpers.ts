import type { EventEnvelope, EventSink } from '../../src/dispatcher/index.js';

/** A sink that keeps every event it receives, in order. */
export function recordingSink(): EventSink & { events: EventEnvelope[] } {
  const events: EventEnvelope[] = [];
  return { events, emit: (event) => void events.push(event) };
}

/** Deterministic PRNG (mulberry32) so the stress test is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise that never settles unless its signal aborts. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

/** Waits (on real timers, event-loop turns) until `predicate` holds; fails after `turns` turns. */
export async function waitUntil(predicate: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (predicate()) return;
    await sleep(1);
  }
  throw new Error('condition not reached');
}

export function types(events: readonly EventEnvelope[]): string[] {
  return events.map((event) => event.type);
}
