/** Shared data types of the pipeline: facts (per file), the project model, findings and the scan result. */

export type Severity = 'error' | 'warning' | 'info';

/** A 1-based source range. Columns count UTF-16 code units, as SARIF's default `columnKind`. */
export interface Loc {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** How a file refers to another module. */
export type RefKind =
  | 'import' // import x / import { x } / import * as x
  | 'side-effect' // import 'm'
  | 'export-from' // export { x } from 'm'
  | 'export-star' // export * from 'm'
  | 'export-star-as' // export * as ns from 'm'
  | 'dynamic-import' // import('m')
  | 'require' // require('m')
  | 'import-equals' // import x = require('m')
  | 'typeof-import' // typeof import('m') / import('m').T in a type position
  | 'jsdoc-import' // {import('m').T} in a JSDoc comment
  | 'mock' // vi.mock('m'), jest.mock('m'), ...
  | 'require-resolve'; // require.resolve('m')

export interface ImportedName {
  /** The name in the target module: an export name, `default`, or `*` for the whole namespace. */
  imported: string;
  /** The local binding (for re-exports: the exported name). */
  local: string;
  typeOnly: boolean;
}

export interface ModuleRef {
  specifier: string;
  kind: RefKind;
  /** The whole reference exists only at type level (erased at run time). */
  typeOnly: boolean;
  names: ImportedName[];
  /** Location of the module specifier string. */
  loc: Loc;
}

export type DeclKind = 'class' | 'function' | 'variable' | 'interface' | 'type' | 'enum' | 'object-factory';

export interface SetterFact {
  method: string;
  field: string;
  loc: Loc;
}

export interface DeclFact {
  name: string;
  kind: DeclKind;
  exported: boolean;
  loc: Loc;
  extends?: string[];
  implements?: string[];
  /** Public instance API: methods and function-valued properties (classes, object-literal factories). */
  methods?: string[];
  staticMethods?: string[];
  /** For variables: what the initializer is. `alias` means `const A = B` with B an identifier (`target`). */
  init?: { kind: 'new' | 'call' | 'alias' | 'object' | 'array' | 'function' | 'literal' | 'other'; target?: string };
  /** For variables: declared with let/var. */
  mutable?: boolean;
  /** Classes: mutable static fields (not readonly, not methods). */
  staticFields?: { name: string; loc: Loc; selfTyped: boolean; written?: boolean; writers?: string[] }[];
  /** Classes: a static accessor such as getInstance() returning a static field. */
  singletonAccessor?: string;
  /** Classes: methods that assign a parameter to a field of `this` (collaborator swaps). */
  setters?: SetterFact[];
  /** Classes: declared `abstract` (a contract, not an implementation). */
  abstract?: boolean;
  /** Classes, functions, object-literal factories: where the declaration ends (its name is at `loc`). */
  extent?: { endLine: number; endColumn: number };
  /** The doc comment right before it says `@deprecated`. */
  deprecated?: boolean;
  /** Functions: what they return (the last `return` of the body, or an arrow's expression). */
  returns?: { kind: 'object' | 'new' | 'function'; target?: string; methods?: string[] };
  /** Token count and bottom-k MinHash of its token shingles, to find near-identical copies (issue 18). */
  sketch?: { tokens: number; hashes: number[] };
  /** Classes: how many public methods call a field's method of the same name (`this.service.save()` in `save`). */
  delegates?: number;
  /** Classes: fields with a declared class or interface type, `[field, type name]` (constructor parameter properties included). */
  fieldTypes?: [string, string][];
  /** Classes: a dependency-injection provider the container creates once per application (`@Injectable()` without a request or transient scope). */
  diSingleton?: boolean;
}

/**
 * A function that may run while a request is handled (issue 18): a top-level function, a class member, a
 * method of a module-level object literal, or a callback passed to a route registration. What it calls and
 * whether it handles requests itself let `analyze/request-reach.ts` tell request-time writes from boot-time ones.
 */
export interface UnitFact {
  /** `f`, `C.m`, `C.constructor`, `obj.m`, or `@routeN` for a route registration's callbacks or arguments (N-th in the file). */
  name: string;
  /** Callees as written (`f`, `X.m`, `ns.f`, `this.m`, `this.field.m`), each once. */
  calls: string[];
  /** Why it handles requests: a route registration's callback or argument, an exported `GET`/`POST`…, a handler decorator. */
  handler?: 'route' | 'route-export' | 'decorator';
  /** It writes a field of `this`, not lazily (constructors never count). */
  writesThis?: boolean;
  loc: Loc;
}

export interface ExportFact {
  /** Exported name (`default` for default exports). */
  name: string;
  /** Local binding exported, for local exports. */
  local?: string;
  /** For re-exports: index into `refs`, and the imported name (`*` for namespace). */
  ref?: number;
  imported?: string;
  typeOnly: boolean;
  loc: Loc;
}

export interface UseFact {
  kind: 'new' | 'call';
  /** Callee as written: `X`, or `ns.X` / `X.method` (two parts at most). */
  callee: string;
  moduleLevel: boolean;
  loc: Loc;
}

/**
 * `import-mutation`: an imported binding written inside a function (`name` or `name.member`);
 * `server-import`: the file imports a package that handles requests (`name`, see scan/server-modules.ts).
 */
export type StateKind = 'mutable-binding' | 'collection' | 'mutated-literal' | 'import-mutation' | 'server-import';

export interface StateFact {
  kind: StateKind;
  name: string;
  detail?: string;
  loc: Loc;
  /** Exported and never written by its own module after initialisation: state only if an importer writes it. */
  handedOut?: boolean;
  /** Units (`UnitFact.name`) that write it after initialisation, not lazily; `''` for a function that is no unit. */
  writers?: string[];
}

export interface ParseProblem {
  message: string;
  loc: Loc;
}

/** The compact, cacheable record of one file: everything the rules need, nothing they must re-parse. */
export interface FileFacts {
  refs: ModuleRef[];
  exports: ExportFact[];
  /** `export * from` targets: indices into refs. */
  starExports: number[];
  decls: DeclFact[];
  uses: UseFact[];
  state: StateFact[];
  /** Functions that may run per request, with their calls (for `shared-state`'s request reachability). */
  units: UnitFact[];
  /** Imported local names (not marked `type`) that the file uses only in type positions. */
  typeOnlyUses: string[];
  parseError?: ParseProblem;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  data: Record<string, string | number>;
  message: string;
  severity: Severity;
  /** POSIX path relative to the scanned root. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
  /**
   * The same identity without the file path (rule, resolved target or symbol, occurrence number):
   * lets a baseline follow a file that was renamed or moved.
   */
  contentKey: string;
  /** Group the finding belongs to, when it belongs to one. */
  group?: string;
  /** Related locations (e.g. the rest of a cycle). */
  related?: { file: string; line: number; column: number; message: string }[];
}

export interface SkippedFile {
  file: string;
  reason: 'binary' | 'too-large' | 'unreadable';
  detail?: string;
}

/** What could hold code and was left out of the scan, by category (issue 16: no silent misses). */
export interface OmittedGroup {
  /**
   * `unreadable-folder`: a folder that could not be listed (its files are unknown); `dangling-symlink`: a
   * link to nothing; `generated`: compiler output under a tsconfig's outDir or declarationDir;
   * `minified`: `*.min.js`, `*.min.mjs`, `*.min.cjs`.
   */
  reason: 'unreadable-folder' | 'dangling-symlink' | 'generated' | 'minified';
  count: number;
  /** Root-relative POSIX paths, the first 100 (`count` is exact). */
  paths: string[];
}

export interface Coverage {
  /** Files matched by include/exclude. */
  files: number;
  parsed: number;
  /** Facts reused from the cache (subset of parsed). */
  cached: number;
  failed: number;
  skipped: SkippedFile[];
  /** What the walk left out that could hold code, by category; absent when nothing was. */
  omitted?: OmittedGroup[];
  /**
   * Set when the previous result was reused instead of analysing again: nothing changed (`unchanged`),
   * the changed files' facts only moved (`moved`), or they changed only by inert declarations (`inert`);
   * or reused but for the rules that read the module graph, run again on it (`rules`: an import on a cycle).
   */
  reused?: 'unchanged' | 'moved' | 'inert' | 'rules';
  /** Relative and alias specifiers that name no file (issue 16: never silently). */
  unresolved?: UnresolvedImport[];
  /** Imports of packages found in no node_modules folder: counted, not listed (an install resolves them). */
  notInstalled?: { imports: number; packages: number };
}

export interface UnresolvedImport {
  file: string;
  line: number;
  column: number;
  specifier: string;
}
