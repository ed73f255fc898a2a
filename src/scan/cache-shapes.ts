import { createRequire } from 'node:module';
import type { FileFacts } from '../types.js';
import { array, bool, either, int, num, object, oneOf, record, str, tuple, where, type Shape } from './shape.js';

/** The shapes of what `.ssot-cache/` holds, checked as it is read (see shape.ts). */

const loc = object({ line: int, column: int, endLine: int, endColumn: int });
const refKinds = ['import', 'side-effect', 'export-from', 'export-star', 'export-star-as', 'dynamic-import', 'require', 'import-equals', 'typeof-import', 'jsdoc-import', 'mock', 'require-resolve'];
const ref = object({ specifier: str, kind: oneOf(...refKinds), typeOnly: bool, names: array(object({ imported: str, local: str, typeOnly: bool })), loc });
const decl = object(
  { name: str, kind: oneOf('class', 'function', 'variable', 'interface', 'type', 'enum', 'object-factory'), exported: bool, loc },
  {
    extends: array(str),
    implements: array(str),
    methods: array(str),
    staticMethods: array(str),
    init: object({ kind: oneOf('new', 'call', 'alias', 'object', 'array', 'function', 'literal', 'other') }, { target: str }),
    mutable: bool,
    staticFields: array(object({ name: str, loc, selfTyped: bool }, { written: bool, writers: array(str) })),
    singletonAccessor: str,
    setters: array(object({ method: str, field: str, loc })),
    abstract: bool,
    extent: object({ endLine: int, endColumn: int }),
    deprecated: bool,
    returns: object({ kind: oneOf('object', 'new', 'function') }, { target: str, methods: array(str) }),
    sketch: object({ tokens: int, hashes: array(int) }),
    delegates: int,
    fieldTypes: array(tuple([str, str])),
    diSingleton: bool,
  },
);
const exported = object({ name: str, typeOnly: bool, loc }, { local: str, ref: int, imported: str });
const use = object({ kind: oneOf('new', 'call'), callee: str, moduleLevel: bool, loc });
const state = object({ kind: oneOf('mutable-binding', 'collection', 'mutated-literal', 'import-mutation', 'server-import'), name: str, loc }, { detail: str, handedOut: bool, writers: array(str) });
const unit = object({ name: str, calls: array(str), loc }, { handler: oneOf('route', 'route-export', 'decorator'), writesThis: bool });

/** A file's facts, with every index into `refs` in range. */
export const fileFacts: Shape = where<FileFacts>(
  object(
    { refs: array(ref), exports: array(exported), starExports: array(int), decls: array(decl), uses: array(use), state: array(state), units: array(unit), typeOnlyUses: array(str) },
    { parseError: object({ message: str, loc }) },
  ),
  (f) => f.starExports.every((i) => i < f.refs.length) && f.exports.every((e) => e.ref === undefined || e.ref < f.refs.length),
);

/** A root-relative path as the cache stores it: no `..` segment, no NUL, not empty. */
const relPath: Shape = (v) => typeof v === 'string' && v.length > 0 && !v.includes('\0') && !v.split('/').includes('..') && !v.startsWith('/');

/** One reference's target: a root-relative path, an absolute one (outside the scan), `!package`, or 0. */
export const targets: Shape = array(either(oneOf(0), (v) => typeof v === 'string' && v.length > 0 && !v.includes('\0')));

/** Why a file was skipped, as the stat index keeps it. */
export const skip: Shape = object({ reason: oneOf('binary', 'too-large', 'unreadable') }, { detail: str });

export const statIndex: Shape = object({ savedAt: num, files: record(tuple([num, num, str], [str])) });

/** A folder entry's name: one path segment. */
const segment: Shape = (v) => typeof v === 'string' && v.length > 0 && v !== '.' && v !== '..' && !/[/\\\0]/.test(v);
/** The walk's folders (list-files.ts): keys are root-relative folders ('' for the root), entries single names. */
export const listing: Shape = where<{ dirs: Record<string, unknown> }>(
  object({ key: str, savedAt: num, gitignores: record(tuple([num, num])), dirs: record(tuple([num, array(tuple([segment, int])), oneOf(0, 1)])) }),
  (l) => Object.keys(l.dirs).every((d) => d === '' || relPath(d)),
);

export const reads: Shape = object(
  { id: str, names: record(array(str)), whole: array(str), declared: record(num), exported: record(num) },
  { reach: array(str), reexporters: array(str), targets: record(tuple([str, targets])) },
);

/** The last result and the inputs it was computed from (incremental.ts `Snapshot`); the result is checked against the JSON report's schema. */
export const snapshot: Shape = object({ key: str, value: object({ files: record(str), result: reportShape() }, { readsId: str, resolvedAs: record(tuple([str, str])) }) });

/** The report schema's validator: generated at build time (scripts/build-validators.mjs), compiled from the schema when running from source. */
function reportShape(): Shape {
  const require = createRequire(import.meta.url);
  try {
    return require('./report-validator.cjs') as Shape;
  } catch {
    const { Ajv } = require('ajv') as typeof import('ajv');
    return new Ajv({ strict: false, validateFormats: false }).compile(require('../../schema/report.schema.json') as object) as Shape;
  }
}
