/**
 * The Redis pub/sub event bus: a dispatcher on one node publishes, the node holding the user's
 * socket delivers. One channel per user (`channelPrefix + userId`), the envelope as JSON.
 *
 * Client choice: `ioredis`. It is maintained under the Redis organisation, ships its own types, has
 * a small dependency tree (no module system split, no optional modules), re-issues SUBSCRIBE for
 * every channel after a reconnect on its own, and `duplicate()` gives the subscriber connection the
 * publisher's options. node-redis would serve as well; ioredis' pub/sub API (`message` events on a
 * connection in subscriber mode) maps onto the reference counting below with the least code.
 *
 * Every piece of state lives inside the bus instance returned by the factory; this module holds none.
 */
import { Redis } from 'ioredis';
import type { EventEnvelope, EventType } from './types.js';
import { EVENT_VERSION } from './types.js';
import { deliverTo, type EventBusStats, type EventListener, type ObservableEventBus, type Subscription } from './in-process-event-bus.js';

export interface RedisEventBusOptions {
  /** Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Default `ssot:events:`; the channel of a user is `channelPrefix + userId`. */
  channelPrefix?: string;
  /** Connection errors after the initial connect (ioredis reconnects by itself); ignored when absent. */
  onError?: (error: Error) => void;
}


/** All listeners of one user on this bus instance: they share one SUBSCRIBE. */
interface Channel {
  readonly subs: Set<Subscription>;
  /** Settles when the SUBSCRIBE for this channel has been acknowledged. */
  readonly ready: Promise<void>;
}

function isEventType(value: unknown): value is EventType {
  switch (value) {
    case 'agent_started':
    case 'agent_thinking':
    case 'tool_executing':
    case 'tool_completed':
    case 'agent_completed':
      return true;
    default:
      return false;
  }
}

/** Parses one message of `userId`'s channel; `undefined` when it is not a well-formed envelope for that user. */
export function parseEnvelope(message: string, userId: string): EventEnvelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const e = value as Record<string, unknown>;
  if (e.v !== EVENT_VERSION || !isEventType(e.type)) return undefined;
  if (typeof e.seq !== 'number' || !Number.isInteger(e.seq) || e.seq < 1) return undefined;
  if (e.userId !== userId || typeof e.runId !== 'string' || typeof e.threadId !== 'string') return undefined;
  if (e.toolCallId !== undefined && typeof e.toolCallId !== 'string') return undefined;
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) return undefined;
  if (typeof e.payload !== 'object' || e.payload === null || Array.isArray(e.payload)) return undefined;
  return value as EventEnvelope;
}

/**
 * Connects a publisher and a subscriber connection (its duplicate) and returns the bus. Rejects,
 * leaving nothing open, when Redis cannot be reached.
 *
 * Delivery: each message is parsed once and handed to every listener of its user on this instance,
 * in the order Redis delivered it (per publishing connection, the publish order). Messages that are
 * not well-formed envelopes for their channel's user are dropped and counted in `stats().malformed`;
 * listener exceptions are caught and counted in `stats().listenerErrors`.
 */
export async function createRedisEventBus(options: RedisEventBusOptions = {}): Promise<ObservableEventBus> {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.channelPrefix ?? 'ssot:events:';
  const onError = options.onError ?? (() => {});

  const publisher = new Redis(url, { lazyConnect: true });
  // An 'error' event without a listener is printed by ioredis; route it instead.
  publisher.on('error', (err: Error) => onError(err));
  const subscriber = publisher.duplicate();
  subscriber.on('error', (err: Error) => onError(err));
  try {
    await publisher.connect();
    await subscriber.connect();
  } catch (err) {
    publisher.disconnect();
    subscriber.disconnect();
    throw new Error(`cannot connect to Redis at ${url}: ${(err as Error).message}`, { cause: err });
  }

  const channels = new Map<string, Channel>();
  const counters: EventBusStats = { published: 0, delivered: 0, malformed: 0, listenerErrors: 0 };
  let closing: Promise<void> | undefined;

  subscriber.on('message', (channelName: string, message: string) => {
    if (closing !== undefined || !channelName.startsWith(prefix)) return;
    const userId = channelName.slice(prefix.length);
    const event = parseEnvelope(message, userId);
    if (event === undefined) {
      counters.malformed++;
      return;
    }
    const channel = channels.get(userId);
    if (channel === undefined) return;
    deliverTo(event, [...channel.subs], counters);
  });

  return {
    async publish(event: EventEnvelope): Promise<void> {
      if (closing !== undefined) throw new Error('event bus is closed');
      // Issued synchronously: publishes from one caller keep their order on the wire.
      const sent = publisher.publish(prefix + event.userId, JSON.stringify(event));
      await sent;
      counters.published++;
    },

    async subscribe(userId: string, listener: EventListener): Promise<() => Promise<void>> {
      if (closing !== undefined) throw new Error('event bus is closed');
      const sub: Subscription = { listener, active: true };
      let channel = channels.get(userId);
      if (channel === undefined) {
        const ready = subscriber.subscribe(prefix + userId).then(() => undefined);
        channel = { subs: new Set(), ready };
        channels.set(userId, channel);
      }
      channel.subs.add(sub);
      const mine = channel;
      try {
        // A second listener of the same user also waits for the shared SUBSCRIBE to be acknowledged.
        await mine.ready;
      } catch (err) {
        sub.active = false;
        mine.subs.delete(sub);
        if (channels.get(userId) === mine) channels.delete(userId);
        throw err;
      }
      return async () => {
        if (!sub.active) return;
        sub.active = false;
        mine.subs.delete(sub);
        if (mine.subs.size > 0 || channels.get(userId) !== mine) return;
        channels.delete(userId);
        // Commands on one connection run in order: a later SUBSCRIBE of this user follows this UNSUBSCRIBE.
        if (closing === undefined) await subscriber.unsubscribe(prefix + userId);
      };
    },

    close(): Promise<void> {
      closing ??= (async () => {
        for (const channel of channels.values()) for (const sub of channel.subs) sub.active = false;
        channels.clear();
        try {
          await subscriber.unsubscribe();
          await subscriber.quit();
        } catch {
          subscriber.disconnect();
        }
        try {
          await publisher.quit();
        } catch {
          publisher.disconnect();
        }
      })();
      return closing;
    },

    stats(): EventBusStats {
      return { ...counters };
    },
  };
}
