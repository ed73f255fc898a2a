import type { DeclFact, FileFacts, ImportedName, Loc, RefKind, StateFact, UnitFact } from '../types.js';
import { packageOf, SERVER_MODULES } from './server-modules.js';

/** What the facts extractor's walk keeps apart from TypeScript's AST: name tables, positions and the module-state decision. */

/** Test-runner calls whose first argument is a module path that tests keep pointing at a module. */
export const MOCK_CALLEES: ReadonlySet<string> = new Set([
  'vi.mock', 'vi.doMock', 'vi.unmock', 'vi.importActual', 'vi.importMock',
  'jest.mock', 'jest.doMock', 'jest.unmock', 'jest.requireActual', 'jest.requireMock', 'jest.setMock', 'jest.createMockFromModule',
]);
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);
export const SINGLETON_ACCESSOR = /^(get)?(instance|shared|default|singleton)$/i;
/** Methods that install a collaborator: setX, useX, swapX, replaceX, attachX. */
export const SETTER_NAME = /^(set|use|swap|replace|attach)[A-Z]/;

/**
 * Start offsets of the lines of `text`, as TypeScript counts them (CR LF, LF, CR, U+2028, U+2029).
 * The common case, LF only, is found with native `indexOf` instead of TypeScript's per-character loop.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (!/[\r\u2028\u2029]/.test(text)) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line/column ranges from UTF-16 offsets, over a file's line starts. */
export class Positions {
  private readonly lines: number[];

  constructor(text: string) {
    this.lines = lineStarts(text);
  }

  loc(start: number, end: number): Loc {
    const sl = this.lineOf(start);
    const el = end >= this.lines[sl]! && (sl + 1 >= this.lines.length || end < this.lines[sl + 1]!) ? sl : this.lineOf(end);
    return { line: sl + 1, column: start - this.lines[sl]! + 1, endLine: el + 1, endColumn: end - this.lines[el]! + 1 };
  }

  /** 0-based line of an offset: binary search over the line starts. */
  private lineOf(pos: number): number {
    const lines = this.lines;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** One class member as either AST gives it; `addClassMembers` decides what the rules see of it. */
export interface ClassMember {
  name: string;
  kind: 'method' | 'get' | 'set' | 'field';
  isStatic: boolean;
  isPublic: boolean;
  /** A method, or a field whose initializer is a function. */
  isMethod: boolean;
  readonly: boolean;
  nameLoc: () => Loc;
  /** Fields: typed as, or initialized with `new` of, the class itself. */
  selfTyped: () => boolean;
  /** Fields: declared `Promise<void>`, a chain that orders work and carries no value (issue 18: outline's htmlRenderQueue). */
  ordersOnly?: () => boolean;
  /** Methods and setters with a body: the field that `this.field = param` swaps in it, if any. */
  swap: () => string | undefined;
}

/** A class's public API, mutable static fields, singleton accessor and collaborator setters, from its members. */
export function addClassMembers(decl: DeclFact, members: Iterable<ClassMember>): void {
  const methods: string[] = [];
  const staticMethods: string[] = [];
  const staticFields: NonNullable<DeclFact['staticFields']> = [];
  const setters: NonNullable<DeclFact['setters']> = [];
  for (const m of members) {
    if (m.isMethod && m.isPublic) (m.isStatic ? staticMethods : methods).push(m.name);
    if (m.isStatic && m.kind === 'field' && !m.isMethod && !m.readonly && !m.ordersOnly?.()) staticFields.push({ name: m.name, loc: m.nameLoc(), selfTyped: m.selfTyped() });
    if (m.isStatic && (m.kind === 'method' || m.kind === 'get') && SINGLETON_ACCESSOR.test(m.name)) decl.singletonAccessor = m.name;
    if (!m.isStatic && (m.kind === 'set' || (m.kind === 'method' && SETTER_NAME.test(m.name)))) {
      const field = m.swap();
      if (field) setters.push({ method: m.name, field, loc: m.nameLoc() });
    }
  }
  if (methods.length) decl.methods = methods;
  if (staticMethods.length) decl.staticMethods = staticMethods;
  if (staticFields.length) decl.staticFields = staticFields;
  if (setters.length) decl.setters = setters;
}

/**
 * Module-level mutable state, decided once every write in the file is known. Writes count only inside
 * functions (`assigned`, `mutated`): a table filled while the module initialises is no state a request
 * changes (issue 18). An exported collection or literal that this module never writes is kept as
 * `handedOut`: it is state only if an importer writes it (an `import-mutation` fact there).
 */
export function moduleState(decls: DeclFact[], assigned: ReadonlySet<string>, mutated: ReadonlySet<string>, writers: ReadonlyMap<string, ReadonlySet<string>> = new Map()): StateFact[] {
  const out: StateFact[] = [];
  for (const decl of decls) {
    if (decl.kind !== 'variable' && decl.kind !== 'object-factory') continue;
    let state: StateFact | undefined;
    const written = mutated.has(decl.name);
    if (decl.mutable && assigned.has(decl.name)) {
      state = { kind: 'mutable-binding', name: decl.name, detail: 'reassigned', loc: decl.loc };
    } else if (decl.init?.kind === 'new' && decl.init.target && COLLECTIONS.has(decl.init.target) && (decl.exported || written)) {
      state = { kind: 'collection', name: decl.name, detail: decl.init.target, loc: decl.loc };
    } else if ((decl.init?.kind === 'object' || decl.init?.kind === 'array' || decl.kind === 'object-factory') && (decl.exported || written)) {
      state = { kind: 'mutated-literal', name: decl.name, detail: decl.init?.kind === 'array' ? 'array' : 'object', loc: decl.loc };
    }
    if (state && !written && state.kind !== 'mutable-binding') state.handedOut = true;
    const by = writers.get(decl.name);
    if (state && by?.size) state.writers = [...by].sort();
    if (state) out.push(state);
  }
  return out;
}

/** No facts, in the order `FactsCollector` fills them. */
function emptyFacts(): FileFacts {
  return { refs: [], exports: [], starExports: [], decls: [], uses: [], state: [], units: [], typeOnlyUses: [] };
}

/** The facts of a file that could not be analysed: none, and why, at `offset` (a UTF-16 offset in `text`). */
export function parseErrorFacts(text: string, message: string, offset: number): FileFacts {
  const at = Math.max(0, Math.min(offset, text.length));
  return { ...emptyFacts(), parseError: { message, loc: new Positions(text).loc(at, Math.min(at + 1, text.length)) } };
}

/** A V8 stack overflow: a parser or a walk recursed deeper than the thread's stack (a RangeError that can be caught). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes('call stack');
}

/** The state both extractors fill while they walk, and how they finish: same fields, same order of facts. */
export abstract class FactsCollector {
  protected readonly facts: FileFacts = emptyFacts();
  /** Imported value bindings (key as the walk compares identifiers -> name), and those seen in a value position. */
  protected readonly importedValues = new Map<string, string>();
  protected readonly valueUsed = new Set<string>();
  protected typeDepth = 0;
  /** Top-level bindings (imports and declarations): only calls and `new` on these are recorded. */
  protected readonly topLevel = new Set<string>();
  /** Names in `export { … }` clauses without a module specifier. */
  protected readonly exportedNames = new Set<string>();
  /** Bindings written inside a function: reassigned (`x = …`), or mutated (`x.a = …`, `x[k] = …`, `x.push()`). */
  protected readonly assigned = new Set<string>();
  protected readonly mutated = new Set<string>();
  /** Assignments that initialise a binding lazily (`if (!x) x = …`): one value for every caller, no state (issue 18). */
  protected readonly lazyWrites = new Set<object>();
  /** `X.f` and `this.f` written inside a function: which static fields change after initialisation. */
  private readonly memberWrites = new Set<string>();
  /** Which units write a binding (`name`) or a member (`X.f`, `this.f`) after initialisation (`''`: no unit). */
  private readonly writers = new Map<string, Set<string>>();
  /** Imported bindings written inside a function, as `name` or `name.member`, with the first write's place. */
  private readonly importWrites = new Map<string, Loc>();
  private importedNames: Set<string> | undefined;
  /** Function-like nesting: 0 at module level. */
  protected depth = 0;
  private readonly positions: Positions;

  constructor(text: string) {
    this.positions = new Positions(text);
  }

  protected loc(start: number, end: number): Loc {
    return this.positions.loc(start, end);
  }

  protected pushRef(specifier: string, loc: Loc, kind: RefKind, typeOnly: boolean, names: ImportedName[] = []): number {
    this.facts.refs.push({ specifier, kind, typeOnly, names, loc });
    return this.facts.refs.length - 1;
  }

  /**
   * A call `root(…)` or `root.member(…)` (`name`) whose root is `require`, `vi`, `jest` or a top-level
   * binding: with a literal first argument (its text and position), `require`, `require.resolve` and
   * test mocks refer to a module; any other call of a top-level binding is a use.
   */
  protected recordCall(root: string, name: string, literal: (() => [string, Loc]) | undefined, requireNames: () => ImportedName[], calleeLoc: () => Loc): void {
    const kind: RefKind | undefined = !literal ? undefined : name === 'require' ? 'require' : name === 'require.resolve' ? 'require-resolve' : MOCK_CALLEES.has(name) ? 'mock' : undefined;
    if (kind) {
      const [specifier, loc] = literal!();
      this.pushRef(specifier, loc, kind, false, kind === 'require' ? requireNames() : []);
      return;
    }
    if (this.topLevel.has(root)) this.facts.uses.push({ kind: 'call', callee: name, moduleLevel: this.depth === 0, loc: calleeLoc() });
  }

  /**
   * A write whose target's root is `root` (an identifier, or `this`) and whose first member is `member`:
   * `whole` for `root = …`. Only writes inside functions count (see `moduleState`).
   */
  protected noteWrite(root: string, member: string | undefined, whole: boolean, at: () => Loc): void {
    if (this.depth === 0) return;
    const unit = this.currentUnit();
    this.addWriter(root, unit);
    if (whole) {
      this.assigned.add(root);
      return;
    }
    this.mutated.add(root);
    if (member !== undefined) {
      this.memberWrites.add(`${root}.${member}`);
      this.addWriter(`${root}.${member}`, unit);
    }
    if (!(this.importedNames ??= new Set(this.importedValues.values())).has(root)) return;
    const name = member === undefined ? root : `${root}.${member}`;
    if (!this.importWrites.has(name)) this.importWrites.set(name, at());
    this.addWriter(`import:${name}`, unit);
  }

  /** The unit (`UnitFact`) the walk is in: writes are attributed to it. Extractors that track units override it. */
  protected currentUnit(): UnitFact | undefined {
    return undefined;
  }

  private addWriter(key: string, unit: UnitFact | undefined): void {
    let set = this.writers.get(key);
    if (!set) this.writers.set(key, (set = new Set()));
    set.add(unit?.name ?? '');
    if (key.startsWith('this.') && unit && !unit.name.endsWith('.constructor')) unit.writesThis = true;
  }

  /** After the walk: module-level state, and the imported values used only in type positions. */
  protected finish(): FileFacts {
    this.facts.state.push(...moduleState(this.facts.decls, this.assigned, this.mutated, this.writers));
    for (const [name, loc] of this.importWrites) this.facts.state.push({ kind: 'import-mutation', name, loc, writers: [...this.writers.get(`import:${name}`)!].sort() });
    // Kept with the state (compared whole between runs): whether the file handles requests decides how its package's state is reported.
    const servers = new Set<string>();
    for (const r of this.facts.refs) {
      const pkg = r.typeOnly || r.kind === 'typeof-import' || r.kind === 'jsdoc-import' || r.kind === 'mock' ? undefined : packageOf(r.specifier);
      if (pkg && SERVER_MODULES.has(pkg) && !servers.has(pkg)) {
        servers.add(pkg);
        this.facts.state.push({ kind: 'server-import', name: pkg, loc: r.loc });
      }
    }
    for (const d of this.facts.decls) {
      for (const f of d.staticFields ?? []) {
        if (!this.memberWrites.has(`${d.name}.${f.name}`) && !this.memberWrites.has(`this.${f.name}`)) continue;
        f.written = true;
        const by = new Set([...(this.writers.get(`${d.name}.${f.name}`) ?? []), ...(this.writers.get(`this.${f.name}`) ?? [])]);
        if (by.size) f.writers = [...by].sort();
      }
    }
    for (const [key, name] of this.importedValues) if (!this.valueUsed.has(key)) this.facts.typeOnlyUses.push(name);
    return this.facts;
  }
}
