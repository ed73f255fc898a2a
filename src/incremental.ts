import { sortFindings, type ScanResult } from './scan-result.js';
import type { FileFacts, Loc } from './types.js';

/** The last full result, with the content hash of every file it was computed from. */
export interface Snapshot {
  files: Record<string, string>;
  result: ScanResult;
}

/** Old start/end positions of one file's facts -> new ones. */
export interface LocMap {
  starts: Map<string, [number, number]>;
  ends: Map<string, [number, number]>;
}

/**
 * Whether two versions of a file's facts are the same but for locations, and if so how locations
 * moved. Findings are a function of facts, the resolution environment and the config, and take
 * their positions only from fact locations; so when every changed file keeps its facts up to
 * location, the previous result with those locations moved is exactly the result of a full run.
 */
export function sameButLocations(before: FileFacts, after: FileFacts): LocMap | undefined {
  const map: LocMap = { starts: new Map(), ends: new Map() };
  const put = (m: Map<string, [number, number]>, key: string, value: [number, number]): boolean => {
    const had = m.get(key);
    if (had && (had[0] !== value[0] || had[1] !== value[1])) return false;
    m.set(key, value);
    return true;
  };
  const walk = (x: unknown, y: unknown): boolean => {
    if (x === y) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!walk(x[i], y[i])) return false;
      return true;
    }
    const a = x as Record<string, unknown>;
    const b = y as Record<string, unknown>;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) {
      if (!(k in b)) return false;
      if (k === 'loc') {
        const p = a.loc as Loc;
        const q = b.loc as Loc;
        if (!put(map.starts, `${p.line}:${p.column}`, [q.line, q.column]) || !put(map.ends, `${p.endLine}:${p.endColumn}`, [q.endLine, q.endColumn])) return false;
      } else if (!walk(a[k], b[k])) return false;
    }
    return true;
  };
  return walk(before, after) ? map : undefined;
}

/** The previous result with the findings, related locations and implementations of moved files re-positioned; undefined if a position cannot be mapped. */
export function remapResult(result: ScanResult, moved: Map<string, LocMap>): ScanResult | undefined {
  const start = (file: string, line: number, column: number): [number, number] | undefined => {
    const m = moved.get(file);
    return m ? m.starts.get(`${line}:${column}`) : [line, column];
  };
  const findings = [];
  for (const f of result.findings) {
    const m = moved.get(f.file);
    let next = f;
    if (m) {
      const s = m.starts.get(`${f.line}:${f.column}`);
      if (!s) return undefined;
      const e = m.ends.get(`${f.endLine}:${f.endColumn}`) ?? (f.endLine === f.line ? [s[0], s[1] + (f.endColumn - f.column)] : undefined);
      if (!e) return undefined;
      next = { ...f, line: s[0], column: s[1], endLine: e[0], endColumn: e[1] };
    }
    if (next.related?.some((r) => moved.has(r.file))) {
      const related = [];
      for (const r of next.related) {
        const s = start(r.file, r.line, r.column);
        if (!s) return undefined;
        related.push({ ...r, line: s[0], column: s[1] });
      }
      next = { ...next, related };
    }
    findings.push(next);
  }
  const groups = [];
  for (const g of result.groups) {
    const implementations = [];
    for (const impl of g.implementations) {
      const s = start(impl.file, impl.line, impl.column);
      if (!s) return undefined;
      implementations.push(s[0] === impl.line && s[1] === impl.column ? impl : { ...impl, line: s[0], column: s[1] });
    }
    groups.push({ ...g, implementations });
  }
  return { ...result, findings: sortFindings(findings), groups };
}
