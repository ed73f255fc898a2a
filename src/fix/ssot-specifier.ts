import path from 'node:path';
import type { TsconfigInfo } from '../scan/tsconfig-index.js';

const TS_EXT = /(\.d)?\.([cm]?)tsx?$/;

/**
 * The SSOT's specifier through a tsconfig `paths` alias that covers its folder (issue 17, item 9:
 * `@legacy/tool-dispatcher/index.js` became `../core/dispatch/index.js` although `@core/*` maps to the
 * SSOT's folder). The most specific alias wins (longest target prefix). Undefined when none covers it.
 * @param ssotAbs the SSOT module's absolute path
 */
export function pathsAlias(paths: TsconfigInfo['paths'], ssotAbs: string): string | undefined {
  const ssot = ssotAbs.split(path.sep).join('/');
  const stem = ssot.replace(TS_EXT, '');
  let best: { spec: string; weight: number } | undefined;
  for (const p of paths) {
    for (const target of p.targets.map((t) => t.split(path.sep).join('/'))) {
      let spec: string | undefined;
      let weight = 0;
      if (p.wildcard) {
        const star = target.indexOf('*');
        if (star < 0) continue;
        const head = target.slice(0, star);
        const tail = target.slice(star + 1);
        // `src/core/*` (the folder) or `src/core/*.ts`: the part the wildcard stands for, without the extension the target adds.
        if (!ssot.startsWith(head)) continue;
        const rest = tail ? (ssot.endsWith(tail) ? ssot.slice(head.length, ssot.length - tail.length) : undefined) : stem.slice(head.length);
        if (rest === undefined || rest.includes('*') || rest === '') continue;
        spec = `${p.prefix}${rest}${p.suffix}`;
        weight = head.length;
      } else if (target.replace(TS_EXT, '') === stem || target === ssot || target.replace(/\/$/, '') === stem.replace(/\/index$/, '')) {
        spec = p.prefix;
        weight = Number.MAX_SAFE_INTEGER;
      }
      if (spec !== undefined && (!best || weight > best.weight)) best = { spec, weight };
    }
  }
  return best?.spec;
}

/**
 * An alias specifier (written without extension, `/index` included for an index module) styled as the
 * legacy specifier it replaces writes its own: with `.js` (or `.ts`) when it has one, with `/index` only
 * when it names an index module that way or has an extension (ESM needs both); otherwise bare.
 */
export function styleLike(spec: string, ssotRel: string, legacySpecifier: string): string {
  const ext = /\.([cm]?)([jt])sx?$/.exec(legacySpecifier);
  const ssotExt = TS_EXT.exec(ssotRel);
  let out = spec.replace(/\.([cm]?)[jt]sx?$/, '');
  const isIndex = /(^|\/)index$/.test(out) && /(^|\/)index(\.d)?\.[cm]?tsx?$/.test(ssotRel);
  const legacyIndex = /(^|\/)index(\.[cm]?[jt]sx?)?$/.test(legacySpecifier);
  if (isIndex && !ext && !legacyIndex) out = out.replace(/\/index$/, '');
  if (ext) out += ext[2] === 'j' ? `.${ssotExt?.[2] ?? ''}js` : path.posix.extname(ssotRel);
  return out;
}

/**
 * The SSOT's specifier in a path alias's style: `@app/legacy/dispatch` resolving to `src/legacy/dispatch/index.ts`
 * maps `@app/` to `src/`, so `src/tools/x.ts` is `@app/tools/x`. Undefined when the SSOT is outside the aliased folder.
 */
export function aliasFor(specifier: string, target: string, ssot: string): string | undefined {
  const strip = (p: string): string[] => p.replace(/\.(d\.)?[cm]?[jt]sx?$/, '').replace(/\/index$/, '').split('/');
  const spec = specifier.replace(/\.[cm]?js$/, '').split('/');
  const tgt = strip(target);
  let n = 0;
  while (n < spec.length && n < tgt.length && spec[spec.length - 1 - n] === tgt[tgt.length - 1 - n]) n++;
  if (n === 0) return undefined;
  const prefix = spec.slice(0, spec.length - n).join('/');
  const base = tgt.slice(0, tgt.length - n).join('/');
  const ssotPath = strip(ssot).join('/');
  if (base && !ssotPath.startsWith(`${base}/`)) return undefined;
  const tail = base ? ssotPath.slice(base.length + 1) : ssotPath;
  return prefix ? `${prefix}/${tail}` : tail;
}
