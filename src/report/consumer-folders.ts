/**
 * Consumer files drawn as folders (issue 19, item 8): a group with hundreds of consumers is a hairball
 * in any picture, so its consumers are counted per folder, as deep as `max` folders allow.
 */

/** Each file's folder bucket (`packages/admin/src/`, `./` for files at the top), at most `max` buckets. */
export function consumerFolders(files: readonly string[], max: number): Map<string, string> {
  const dirs = files.map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')).split('/') : []));
  const key = (dir: string[], depth: number): string => (dir.length ? `${dir.slice(0, depth).join('/')}/` : './');
  const deepest = Math.max(1, ...dirs.map((d) => d.length));
  for (let depth = deepest; depth >= 1; depth--) {
    const keys = new Set(dirs.map((d) => key(d, depth)));
    if (keys.size <= max) return new Map(files.map((f, i) => [f, key(dirs[i]!, depth)]));
  }
  // Even the top folders are too many: the largest max - 1 keep their name, the rest share one bucket.
  const top = dirs.map((d) => key(d, 1));
  const sizes = new Map<string, number>();
  for (const k of top) sizes.set(k, (sizes.get(k) ?? 0) + 1);
  const kept = new Set([...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max - 1).map(([k]) => k));
  const others = sizes.size - kept.size;
  return new Map(files.map((f, i) => [f, kept.has(top[i]!) ? top[i]! : `${others} other folders`]));
}
