/**
 * The JSON text of every frame the WebSocket bridge sends (live events, replayed events, snapshots).
 * A tool's result, a run's result or input and a call's params are whatever user code made them;
 * JSON.stringify throws on a BigInt, a circular object, a throwing getter or toJSON and a revoked
 * proxy, and silently drops a function or a symbol. Thrown inside the bridge, that lost the event
 * (and the run's completion) for its user and, on a later resume, killed the process for everyone.
 */
import { describeThrown } from './describe-thrown.js';

/** Events whose payload has a status: a field that cannot be sent turns it into 'error'. */
const COMPLETIONS: ReadonlySet<unknown> = new Set(['tool_completed', 'agent_completed']);

/**
 * `JSON.stringify(frame)`, or when that fails, the frame with each field that JSON cannot carry left
 * out (of the frame, or of its `payload`) and named in an `error` on the payload (on the frame when
 * it has none); a tool_completed or agent_completed also gets status 'error'. Never throws.
 */
export function safeSerialize(frame: unknown): string {
  let cause = `a frame of type ${typeof frame} cannot be sent as JSON`;
  try {
    const text = JSON.stringify(frame);
    if (typeof text === 'string' && !dropsField(frame)) return text;
  } catch (error) {
    // Rebuilt field by field below, which names the fields that failed.
    cause = `frame cannot be sent as JSON: ${describeThrown(error)}`;
  }
  return JSON.stringify(rebuild(frame, cause));
}

/** Whether the frame's payload has a function or symbol field: JSON would leave it out without a word. */
function dropsField(frame: unknown): boolean {
  const payload = (frame as { payload?: unknown } | null)?.payload;
  if (typeof payload !== 'object' || payload === null) return false;
  return Object.values(payload).some((value) => typeof value === 'function' || typeof value === 'symbol');
}

/** The frame from the fields JSON can carry; `cause` is the error when no single field is to blame. */
function rebuild(frame: unknown, cause: string): Record<string, unknown> {
  if (typeof frame !== 'object' || frame === null) return { error: cause };
  const problems: string[] = [];
  const out = jsonFields(frame, problems, 'payload');
  let payload: Record<string, unknown> | undefined;
  try {
    const source = (frame as { payload?: unknown }).payload;
    if (source !== undefined) payload = jsonFields(source, problems);
  } catch (error) {
    problems.push(`payload cannot be read: ${describeThrown(error)}`);
    payload = {};
  }
  const error = problems.length > 0 ? problems.join('; ') : cause;
  if (!payload) return { ...out, error };
  if (COMPLETIONS.has(out.type)) payload.status = 'error';
  payload.error = error;
  return { ...out, payload };
}

/** The own enumerable fields of `source` that JSON can carry, as plain data; the others go to `problems`. */
function jsonFields(source: unknown, problems: string[], skip?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let keys: string[];
  try {
    keys = Object.keys(source as object);
  } catch (error) {
    problems.push(`${skip === undefined ? 'payload' : 'frame'} cannot be read: ${describeThrown(error)}`);
    return out;
  }
  for (const key of keys) {
    if (key === skip) continue;
    try {
      const value = (source as Record<string, unknown>)[key];
      const text = JSON.stringify(value);
      if (text === undefined) {
        if (value !== undefined) problems.push(`${key} is a ${typeof value}, which JSON cannot carry`);
        continue;
      }
      // defineProperty: a key named __proto__ stays a plain field instead of setting the prototype.
      Object.defineProperty(out, key, { value: JSON.parse(text), enumerable: true, writable: true, configurable: true });
    } catch (error) {
      problems.push(`${key} cannot be sent as JSON: ${describeThrown(error)}`);
    }
  }
  return out;
}
