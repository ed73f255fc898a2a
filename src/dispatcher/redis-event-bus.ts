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
import { describeThrown } from './describe-thrown.js';
import type { EventEnvelope, EventGap, EventType } from './types.js';
import { EVENT_VERSION } from './types.js';
import { deliverTo, type EventBusStats, type EventListener, type ObservableEventBus, type Subscription } from './in-process-event-bus.js';
import { createDropLog } from './redis-drop-log.js';

export interface RedisEventBusOptions {
  /** Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Default `ssot:events:`; the channel of a user is `channelPrefix + userId`. */
  channelPrefix?: string;
  /** Connection errors after the initial connect (the bus reconnects by itself); ignored when absent. */
  onError?: (error: Error) => void;
  /**
   * Events published but not yet acknowledged by Redis: while it is unreachable they wait, in
   * publish order, and are sent when it is back (default 10,000). Past this bound, or past
   * `maxPendingBytes`, an event is dropped, and once Redis is back the bus publishes a gap notice
   * naming the run's dropped seqs, which subscribers hand to `onGap`.
   */
  maxPendingEvents?: number;
  /** Bytes of JSON of the pending events (default 16 MiB). */
  maxPendingBytes?: number;
  /** Delay before reconnect attempt `times` (from 1), in ms; default min(100 × times, 2000), retrying forever. */
  retryStrategy?: (times: number) => number;
}

/** What the bus did about outages (beyond the `EventBus` counters). */
export interface RedisDeliveryStats {
  /** Events waiting for Redis to acknowledge them. */
  pending: number;
  /** Events dropped because the pending bound was reached; each is named in a gap notice. */
  dropped: number;
  /** Gap notices published. */
  gapNotices: number;
  /** Times the subscriber connection was lost (each told every subscribed user's `onGap`). */
  outages: number;
}

export interface RedisEventBus extends ObservableEventBus {
  deliveryStats(): RedisDeliveryStats;
}

type GapListener = (gap: EventGap) => void;

/** One listener of one user, with the listener of its gaps. */
interface GapSubscription extends Subscription {
  readonly onGap: GapListener | undefined;
}

/** All listeners of one user on this bus instance: they share one SUBSCRIBE. */
interface Channel {
  readonly subs: Set<GapSubscription>;
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

/** A gap notice on `userId`'s channel: `{ v, gap: { runId, fromSeq, toSeq } }`, or `{ v, gap: {} }` for runs not named. */
export function parseGapNotice(message: string, userId: string): EventGap | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  const notice = value as { v?: unknown; gap?: { runId?: unknown; fromSeq?: unknown; toSeq?: unknown } } | null;
  if (typeof notice !== 'object' || notice === null || notice.v !== EVENT_VERSION) return undefined;
  const gap = notice.gap;
  if (typeof gap !== 'object' || gap === null || Array.isArray(gap)) return undefined;
  if (gap.runId === undefined) return { reason: 'outage', userId };
  const { runId, fromSeq, toSeq } = gap;
  if (typeof runId !== 'string' || !Number.isInteger(fromSeq) || !Number.isInteger(toSeq)) return undefined;
  if ((fromSeq as number) < 1 || (toSeq as number) < (fromSeq as number)) return undefined;
  return { reason: 'dropped', userId, runId, fromSeq: fromSeq as number, toSeq: toSeq as number };
}

/**
 * Connects a publisher and a subscriber connection (its duplicate) and returns the bus. Rejects,
 * leaving nothing open, when Redis cannot be reached.
 *
 * Delivery: each message is parsed once and handed to every listener of its user on this instance,
 * in the order Redis delivered it (per publishing connection, the publish order). Messages that are
 * not well-formed envelopes for their channel's user are dropped and counted in `stats().malformed`;
 * listener exceptions are caught and counted in `stats().listenerErrors`.
 *
 * Outages (security issue, item 10): both connections reconnect (`retryStrategy`). Redis pub/sub
 * delivers at most once, so the bus makes what it loses visible instead of silent: `publish`
 * resolves at once while Redis is unreachable and the event waits, bounded (`maxPendingEvents`);
 * what overflows is dropped and named in a gap notice once Redis is back; and when the subscriber
 * connection is lost, each subscribed user's `onGap` hears `{ reason: 'outage' }`, since anything
 * published until the resubscribe is lost to this node.
 */
export async function createRedisEventBus(options: RedisEventBusOptions = {}): Promise<RedisEventBus> {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.channelPrefix ?? 'ssot:events:';
  const onError = options.onError ?? (() => {});
  const maxPendingEvents = options.maxPendingEvents ?? 10_000;
  const maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;

  // Loaded here, not at the top: `import 'ssot-kit/dispatcher'` does not load ioredis unless this bus is used.
  const { Redis } = await import('ioredis');
  const publisher = new Redis(url, {
    lazyConnect: true,
    retryStrategy: options.retryStrategy ?? ((times: number) => Math.min(100 * times, 2000)),
    // Pending publishes wait for Redis however long it takes; maxPendingEvents bounds them, not a retry count.
    maxRetriesPerRequest: null,
  });
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
    throw new Error(`cannot connect to Redis at ${url}: ${describeThrown(err)}`, { cause: err });
  }

  const channels = new Map<string, Channel>();
  const counters: EventBusStats = { published: 0, delivered: 0, malformed: 0, listenerErrors: 0 };
  const delivery = { pending: 0, pendingBytes: 0, dropped: 0, gapNotices: 0, outages: 0 };
  const drops = createDropLog();
  let closing: Promise<void> | undefined;
  let outage = false;

  function tellGap(channel: Channel, gap: EventGap): void {
    for (const sub of [...channel.subs]) {
      if (!sub.active || sub.onGap === undefined) continue;
      try {
        sub.onGap(gap);
      } catch {
        counters.listenerErrors++;
      }
    }
  }

  subscriber.on('message', (channelName: string, message: string) => {
    if (closing !== undefined || !channelName.startsWith(prefix)) return;
    const userId = channelName.slice(prefix.length);
    const event = parseEnvelope(message, userId);
    const gap = event === undefined ? parseGapNotice(message, userId) : undefined;
    if (event === undefined && gap === undefined) {
      counters.malformed++;
      return;
    }
    const channel = channels.get(userId);
    if (channel === undefined) return;
    if (event !== undefined) deliverTo(event, [...channel.subs], counters);
    else if (gap !== undefined) tellGap(channel, gap);
  });
  // Lost: whatever is published until the resubscribe does not reach this node. Told once per outage,
  // before anything that arrives after it, so a run's next event can show whether something was lost.
  subscriber.on('close', () => {
    if (closing !== undefined || outage) return;
    outage = true;
    delivery.outages++;
    for (const [userId, channel] of channels) tellGap(channel, { reason: 'outage', userId });
  });
  subscriber.on('ready', () => {
    outage = false;
  });

  /** Publishes the gap notices of dropped events, once Redis takes commands again. */
  function publishGapNotices(): void {
    if (closing !== undefined || publisher.status !== 'ready') return;
    for (const notice of drops.take()) {
      const data = JSON.stringify({ v: EVENT_VERSION, gap: notice.runId === undefined ? {} : { runId: notice.runId, fromSeq: notice.fromSeq, toSeq: notice.toSeq } });
      publisher.publish(prefix + notice.userId, data).then(
        () => void delivery.gapNotices++,
        () => drops.restore(notice),
      );
    }
  }
  // 'ready' is emitted after ioredis has re-sent the pending publishes: the notices follow them.
  publisher.on('ready', publishGapNotices);

  function drop(event: EventEnvelope): void {
    if (drops.size() === 0) onError(new Error(`Redis event bus: ${delivery.pending} events wait for Redis; dropping further events until it is back (a gap notice will name them)`));
    delivery.dropped++;
    drops.record(event.userId, event.runId, event.seq);
  }

  return {
    async publish(event: EventEnvelope): Promise<void> {
      if (closing !== undefined) throw new Error('event bus is closed');
      const data = JSON.stringify(event);
      const bytes = Buffer.byteLength(data);
      if (delivery.pending >= maxPendingEvents || delivery.pendingBytes + bytes > maxPendingBytes) return drop(event);
      delivery.pending++;
      delivery.pendingBytes += bytes;
      const connected = publisher.status === 'ready';
      // Issued synchronously: publishes from one caller keep their order on the wire, also when ioredis
      // holds them until it has reconnected.
      const sent = publisher.publish(prefix + event.userId, data).then(
        () => {
          counters.published++;
          if (drops.size() > 0) publishGapNotices();
        },
        (err: unknown) => {
          if (closing === undefined) drop(event);
          throw err;
        },
      ).finally(() => {
        delivery.pending--;
        delivery.pendingBytes -= bytes;
      });
      if (connected) return sent;
      // Redis is unreachable: the event waits (bounded); the caller does not.
      sent.catch(() => undefined);
    },

    async subscribe(userId: string, listener: EventListener, onGap?: GapListener): Promise<() => Promise<void>> {
      if (closing !== undefined) throw new Error('event bus is closed');
      const sub: GapSubscription = { listener, active: true, onGap };
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
        if (closing !== undefined) return;
        const unsubscribed = subscriber.unsubscribe(prefix + userId);
        // Unreachable: the UNSUBSCRIBE waits in order behind the resubscribe; nobody waits for it.
        if (subscriber.status === 'ready') await unsubscribed;
        else unsubscribed.catch(() => undefined);
      };
    },

    close(): Promise<void> {
      closing ??= (async () => {
        for (const channel of channels.values()) for (const sub of channel.subs) sub.active = false;
        channels.clear();
        // While Redis is unreachable, UNSUBSCRIBE and QUIT would wait for it: disconnect instead.
        try {
          if (subscriber.status !== 'ready') throw new Error('not connected');
          await subscriber.unsubscribe();
          await subscriber.quit();
        } catch {
          subscriber.disconnect();
        }
        try {
          if (publisher.status !== 'ready') throw new Error('not connected');
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

    deliveryStats(): RedisDeliveryStats {
      return { pending: delivery.pending, dropped: delivery.dropped, gapNotices: delivery.gapNotices, outages: delivery.outages };
    },
  };
}
