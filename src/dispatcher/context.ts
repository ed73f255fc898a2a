import type { UserContext } from './types.js';

/** What a request knows about itself; `createUserContext` validates and freezes it. */
export interface UserContextInit {
  userId: string;
  runId: string;
  threadId: string;
  /** Roles granted to the user for this request (`'admin'` unlocks admin tools); default none. */
  roles?: readonly string[];
}

/**
 * Values that show up when an id was never really set (a stringified `undefined`, a test default):
 * accepting them would let two users share a "user" and therefore each other's events.
 */
const PLACEHOLDER_IDS: readonly string[] = Object.freeze(['undefined', 'null', 'anonymous', 'unknown', 'default', 'test', 'placeholder', 'n/a']);

/**
 * Builds the identity of one request: every id non-empty and not a placeholder, roles copied;
 * the result and its roles are frozen so no code downstream can re-target it at another user.
 * @throws Error naming the offending field.
 */
export function createUserContext(init: UserContextInit): UserContext {
  if (typeof init !== 'object' || init === null) throw new Error('createUserContext: expected { userId, runId, threadId }');
  const userId = requireId(init.userId, 'userId');
  const runId = requireId(init.runId, 'runId');
  const threadId = requireId(init.threadId, 'threadId');
  const roles = init.roles ?? [];
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string' || role.trim() === '')) {
    throw new Error('createUserContext: roles must be an array of non-empty strings');
  }
  return Object.freeze({ userId, runId, threadId, roles: Object.freeze([...roles]) });
}

/** Whether `value` is a context built by `createUserContext` (frozen, with frozen roles). */
export function isUserContext(value: unknown): value is UserContext {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return false;
  const candidate = value as Partial<UserContext>;
  return typeof candidate.userId === 'string' && typeof candidate.runId === 'string' && typeof candidate.threadId === 'string'
    && Array.isArray(candidate.roles) && Object.isFrozen(candidate.roles);
}

function requireId(value: unknown, field: keyof UserContextInit): string {
  if (typeof value !== 'string') throw new Error(`createUserContext: ${field} must be a string, got ${value === null ? 'null' : typeof value}`);
  const trimmed = value.trim();
  if (trimmed === '') throw new Error(`createUserContext: ${field} must not be empty`);
  if (PLACEHOLDER_IDS.includes(trimmed.toLowerCase())) throw new Error(`createUserContext: ${field} "${value}" is a placeholder, not a real id`);
  return value;
}
