/**
 * The contract of the reference SSOT dispatcher (`ssot-kit/dispatcher`): the event envelope every
 * consumer sees, the sink dispatchers emit into, and the bus that carries events between processes.
 * This file holds types only; it imports nothing from the analyzer (and nothing at run time at all).
 */

/** The five events a chat client must see, in this order within a run (thinking and tool pairs may repeat). */
export type EventType = 'agent_started' | 'agent_thinking' | 'tool_executing' | 'tool_completed' | 'agent_completed';

export const EVENT_VERSION = 1;

export type RunStatus = 'success' | 'error' | 'cancelled' | 'timeout';
export type ToolStatus = 'success' | 'error' | 'not_found' | 'invalid_params' | 'forbidden' | 'timeout' | 'cancelled';

/** One event, versioned, with every id at the top level so routing never reads the payload. */
export interface EventEnvelope<P = Record<string, unknown>> {
  v: typeof EVENT_VERSION;
  type: EventType;
  /** Contiguous from 1 within a run. */
  seq: number;
  userId: string;
  runId: string;
  threadId: string;
  /** On tool_executing / tool_completed: pairs them. */
  toolCallId?: string;
  /** Milliseconds since the epoch. */
  ts: number;
  payload: P;
}

/** Payloads by event type. */
export interface AgentStartedPayload { input?: unknown }
export interface AgentThinkingPayload { text: string }
export interface ToolExecutingPayload { tool: string; params: unknown }
export interface ToolCompletedPayload { tool: string; status: ToolStatus; result?: unknown; error?: string; durationMs: number }
export interface AgentCompletedPayload { status: RunStatus; result?: unknown; error?: string; durationMs: number }

/**
 * Where a dispatcher's events go (a WebSocket bridge, an event bus, a test recorder). `emit` may be
 * sync or async; the dispatcher never lets a sink that throws, rejects or stalls change a result or
 * delay another run.
 */
export interface EventSink {
  emit(event: EventEnvelope): void | Promise<void>;
}

/**
 * Events a bus knows a subscriber did not get: `dropped`, seqs fromSeq..toSeq of one run that the
 * publishing node discarded (its buffer was full while the broker was unreachable); `outage`, the
 * subscriber's connection to the broker was lost, so anything published for the user until it was
 * back may be missing.
 */
export type EventGap =
  | { reason: 'dropped'; userId: string; runId: string; fromSeq: number; toSeq: number }
  | { reason: 'outage'; userId: string };

/** Carries events between processes: publish on the node that runs the dispatcher, deliver on the node that holds the socket. */
export interface EventBus {
  publish(event: EventEnvelope): Promise<void>;
  /**
   * Receive every event published (by any node) for these users; returns an unsubscribe function.
   * `onGap` learns of events the bus knows this subscriber missed (a bus that cannot lose events never calls it).
   */
  subscribe(userId: string, listener: (event: EventEnvelope) => void, onGap?: (gap: EventGap) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A request's identity: deep-frozen, validated, passed explicitly (never through module state). */
export interface UserContext {
  readonly userId: string;
  readonly runId: string;
  readonly threadId: string;
  readonly roles: readonly string[];
}
