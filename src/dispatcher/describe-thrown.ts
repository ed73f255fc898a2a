/**
 * The text of anything thrown or rejected with. `String(value)` and `error.message` can both throw:
 * `Object.create(null)` has no toString, an object's toString may throw, a revoked proxy throws on
 * every operation, an Error's `message` may be a throwing getter. A tool or run body that throws one
 * of those must still end as an error status, never as an exception inside the dispatcher.
 */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return errorText(value);
    return typeof value === 'string' ? value : String(value);
  } catch {
    // Fall through to what cannot throw.
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    // A revoked proxy: even Object.prototype.toString reads it.
    return `a thrown ${typeof value} that cannot be read`;
  }
}

function errorText(error: Error): string {
  let message: unknown;
  try {
    message = error.message;
  } catch {
    return `${nameOf(error)} (its message could not be read)`;
  }
  // A non-string message that String() cannot read throws to describeThrown's fallback.
  return typeof message === 'string' ? message : String(message);
}

function nameOf(error: Error): string {
  try {
    const name = error.name;
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // Same as a missing name.
  }
  return 'Error';
}
