/**
 * Shape checks for JSON read from files ssot-kit did not necessarily write (its cache folder, shard
 * facts): a value of the wrong shape is treated as absent and rebuilt, never trusted (issue 15: `{}` in
 * the stat index crashed every later run). Combinators, so a shape reads like the type it checks.
 */
export type Shape = (value: unknown) => boolean;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Shape = (v) => typeof v === 'string';
export const num: Shape = (v) => typeof v === 'number' && Number.isFinite(v);
/** A non-negative integer (counts, indices, lines). */
export const int: Shape = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
export const bool: Shape = (v) => typeof v === 'boolean';

export function oneOf(...values: readonly unknown[]): Shape {
  return (v) => values.includes(v);
}

export function either(...shapes: Shape[]): Shape {
  return (v) => shapes.some((s) => s(v));
}

export function array(item: Shape): Shape {
  return (v) => Array.isArray(v) && v.every(item);
}

/** A tuple: `required` in order, then `optional` ones if present. */
export function tuple(required: Shape[], optional: Shape[] = []): Shape {
  return (v) =>
    Array.isArray(v) &&
    v.length >= required.length &&
    v.length <= required.length + optional.length &&
    v.every((x, i) => (i < required.length ? required[i]! : optional[i - required.length]!)(x));
}

/** A record keyed by any string (paths), every value of one shape. */
export function record(value: Shape): Shape {
  return (v) => isObj(v) && Object.values(v).every(value);
}

/** An object with `required` keys and, when present and defined, `optional` ones; other keys are ignored. */
export function object(required: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape {
  const req = Object.entries(required);
  const opt = Object.entries(optional);
  return (v) => isObj(v) && req.every(([k, s]) => Object.hasOwn(v, k) && s(v[k])) && opt.every(([k, s]) => !Object.hasOwn(v, k) || v[k] === undefined || s(v[k]));
}

/** A shape and a further condition on the value once it has it (indices in range, safe names). */
export function where<T>(shape: Shape, condition: (value: T) => boolean): Shape {
  return (v) => shape(v) && condition(v as T);
}
