/**
 * package.json `exports` and `imports` maps, read as Node and TypeScript read them
 * (https://nodejs.org/api/packages.html#resolution-algorithm-specification): an exact key, else the
 * pattern (`./x/*`, `#x/*`) with the longest prefix; a target is a string, an array (first that
 * yields), or an object of conditions tried in the object's own key order.
 */

/** The target a map gives a key (`.`, `./sub`, `#name`), with `*` replaced; undefined when none. */
export function mapTarget(map: Record<string, unknown>, key: string, pick: (value: unknown) => string | undefined): string | undefined {
  if (Object.hasOwn(map, key) && !key.includes('*')) return pick(map[key]);
  let best: { prefix: string; suffix: string; value: unknown } | undefined;
  for (const k of Object.keys(map)) {
    const star = k.indexOf('*');
    if (star < 0) continue;
    const prefix = k.slice(0, star);
    const suffix = k.slice(star + 1);
    if (!key.startsWith(prefix) || !key.endsWith(suffix) || key.length < prefix.length + suffix.length) continue;
    if (!best || prefix.length > best.prefix.length) best = { prefix, suffix, value: map[k] };
  }
  if (!best) return undefined;
  const star = key.slice(best.prefix.length, key.length - best.suffix.length);
  return pick(best.value)?.replaceAll('*', star);
}

/** A conditional target as TypeScript picks it: the first key, in the object's order, that is `default` or one of `conditions`. */
export function conditionalTarget(value: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = conditionalTarget(v, conditions);
      if (t) return t;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'default' && !conditions.has(k) && !k.startsWith('types@')) continue;
      const t = conditionalTarget(v, conditions);
      if (t) return t;
    }
  }
  return undefined;
}
