/**
 * The in-process event bus: the default `EventBus` when the dispatcher and the sockets live in one
 * process. Every piece of state lives inside the bus instance returned by the factory; this module
 * holds none.
 */
import type { EventBus, EventEnvelope } from './types.js';

/** Counters a bus keeps about itself (beyond the `EventBus` contract). */
export interface EventBusStats {
  /** Events published through this bus instance (on Redis: acknowledged by the server). */
  published: number;
  /** Listener invocations on this bus instance (one event delivered to two listeners counts twice), including those that threw. */
  delivered: number;
  /** Incoming messages dropped because they were not a well-formed envelope for their channel (always 0 in process). */
  malformed: number;
  /** Listener invocations that threw; caught, counted, and never allowed to stop delivery to other listeners. */
  listenerErrors: number;
}

/** An `EventBus` that also reports its counters. */
export interface ObservableEventBus extends EventBus {
  stats(): EventBusStats;
}

export type EventListener = (event: EventEnvelope) => void;

/** One call to `subscribe`: distinct even when the same function is subscribed twice. */
/** One listener of one user; `active` turns false on unsubscribe, also for events already queued. */
export interface Subscription {
  readonly listener: EventListener;
  active: boolean;
}

/** Hand an event to the active listeners, counting deliveries and listener errors (a throwing listener stops nothing). */
export function deliverTo(event: EventEnvelope, subs: Iterable<Subscription>, counters: EventBusStats): void {
  for (const sub of subs) {
    // Unsubscribed between publish and delivery: the unsubscribe wins.
    if (!sub.active) continue;
    counters.delivered++;
    try {
      sub.listener(event);
    } catch {
      counters.listenerErrors++;
    }
  }
}

/**
 * Creates a bus that delivers within this process. `publish` never runs a listener synchronously:
 * delivery is queued as a microtask, so events reach each listener in publish order. A listener
 * that throws is counted in `stats().listenerErrors` and does not affect other listeners or the
 * publisher. Listeners receive the published object itself, not a copy; treat it as read-only.
 */
export function createInProcessEventBus(): ObservableEventBus {
  const byUser = new Map<string, Set<Subscription>>();
  const counters: EventBusStats = { published: 0, delivered: 0, malformed: 0, listenerErrors: 0 };
  let closed = false;

  const deliver = (event: EventEnvelope, targets: readonly Subscription[]): void => {
    if (!closed) deliverTo(event, targets, counters);
  };

  return {
    async publish(event: EventEnvelope): Promise<void> {
      if (closed) throw new Error('event bus is closed');
      counters.published++;
      const subs = byUser.get(event.userId);
      if (subs === undefined || subs.size === 0) return;
      // Snapshot at publish time: a listener subscribed later does not see this event.
      const targets = [...subs];
      queueMicrotask(() => deliver(event, targets));
    },

    async subscribe(userId: string, listener: EventListener): Promise<() => Promise<void>> {
      if (closed) throw new Error('event bus is closed');
      const sub: Subscription = { listener, active: true };
      let subs = byUser.get(userId);
      if (subs === undefined) {
        subs = new Set();
        byUser.set(userId, subs);
      }
      subs.add(sub);
      return async () => {
        if (!sub.active) return;
        sub.active = false;
        const current = byUser.get(userId);
        if (current === undefined) return;
        current.delete(sub);
        if (current.size === 0) byUser.delete(userId);
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const subs of byUser.values()) for (const sub of subs) sub.active = false;
      byUser.clear();
    },

    stats(): EventBusStats {
      return { ...counters };
    },
  };
}
