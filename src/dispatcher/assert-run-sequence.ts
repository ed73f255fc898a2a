import { EVENT_VERSION, type EventEnvelope, type EventType } from './types.js';

const EVENT_TYPES: readonly EventType[] = Object.freeze(['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const);

interface RunTrack {
  userId: string;
  threadId: string;
  lastSeq: number;
  completed: boolean;
  open: Set<string>;
  seen: Set<string>;
}

/**
 * Checks the event contract over a list of events (several runs may be interleaved; each run's
 * events must appear in emission order). Per (userId, runId): the first event is agent_started with
 * seq 1; seq is contiguous; every event shares the run's threadId; each tool_executing has a fresh
 * toolCallId and exactly one later tool_completed with it; no tool_completed without its
 * tool_executing; exactly one agent_completed, last, with no tool call left open. A runId seen under
 * two userIds is reported too (that is one user's events reaching another's run).
 * @returns how many runs and events were checked.
 * @throws Error naming the run, the event and what was expected.
 */
export function assertRunSequence(events: readonly EventEnvelope[]): { runs: number; events: number } {
  const runs = new Map<string, RunTrack>();
  const owners = new Map<string, string>();
  events.forEach((event, index) => {
    const where = `event #${index} (${String(event?.type)} seq ${String(event?.seq)})`;
    checkShape(event, where);
    const key = `${event.userId}\u0000${event.runId}`;
    const name = `run ${event.userId}/${event.runId}`;
    const owner = owners.get(event.runId);
    if (owner !== undefined && owner !== event.userId) fail(`${name}: ${where}: runId ${event.runId} already belongs to user ${owner}`);
    owners.set(event.runId, event.userId);
    let run = runs.get(key);
    if (!run) {
      if (event.type !== 'agent_started' || event.seq !== 1) fail(`${name}: ${where}: the first event must be agent_started with seq 1`);
      run = { userId: event.userId, threadId: event.threadId, lastSeq: 0, completed: false, open: new Set(), seen: new Set() };
      runs.set(key, run);
    }
    if (run.completed) fail(`${name}: ${where}: event after agent_completed`);
    if (event.seq !== run.lastSeq + 1) fail(`${name}: ${where}: expected seq ${run.lastSeq + 1}`);
    if (event.threadId !== run.threadId) fail(`${name}: ${where}: threadId ${event.threadId} differs from the run's ${run.threadId}`);
    run.lastSeq = event.seq;
    checkTransition(run, event, `${name}: ${where}`);
  });
  for (const [key, run] of runs) {
    const name = `run ${key.replace('\u0000', '/')}`;
    if (!run.completed) fail(`${name}: no agent_completed (last seq ${run.lastSeq})`);
  }
  return { runs: runs.size, events: events.length };
}

function checkTransition(run: RunTrack, event: EventEnvelope, where: string): void {
  switch (event.type) {
    case 'agent_started':
      if (event.seq !== 1) fail(`${where}: agent_started must come once, first`);
      return;
    case 'tool_executing': {
      const id = event.toolCallId!;
      if (run.seen.has(id)) fail(`${where}: toolCallId ${id} was already used in this run`);
      run.seen.add(id);
      run.open.add(id);
      return;
    }
    case 'tool_completed': {
      const id = event.toolCallId!;
      if (!run.open.delete(id)) {
        fail(run.seen.has(id) ? `${where}: second tool_completed for toolCallId ${id}` : `${where}: tool_completed for toolCallId ${id} without tool_executing`);
      }
      return;
    }
    case 'agent_completed':
      if (run.open.size > 0) fail(`${where}: agent_completed while tool calls are open: ${[...run.open].join(', ')}`);
      run.completed = true;
      return;
    default:
      return;
  }
}

function checkShape(event: EventEnvelope, where: string): void {
  if (typeof event !== 'object' || event === null) fail(`${where}: not an object`);
  if (event.v !== EVENT_VERSION) fail(`${where}: v must be ${EVENT_VERSION}`);
  if (!EVENT_TYPES.includes(event.type)) fail(`${where}: unknown type`);
  if (!Number.isInteger(event.seq) || event.seq < 1) fail(`${where}: seq must be a positive integer`);
  for (const field of ['userId', 'runId', 'threadId'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') fail(`${where}: ${field} must be a non-empty string`);
  }
  if (typeof event.ts !== 'number') fail(`${where}: ts must be a number`);
  if (typeof event.payload !== 'object' || event.payload === null) fail(`${where}: payload must be an object`);
  const isTool = event.type === 'tool_executing' || event.type === 'tool_completed';
  if (isTool && (typeof event.toolCallId !== 'string' || event.toolCallId === '')) fail(`${where}: ${event.type} needs a toolCallId`);
}

function fail(message: string): never {
  throw new Error(`assertRunSequence: ${message}`);
}
