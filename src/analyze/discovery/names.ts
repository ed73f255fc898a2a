/**
 * What names and paths say about a declaration, for discovery (issue 18): its words, the role noun two
 * names share, and whether it is a test double, a vendored copy or a deprecated implementation.
 */

/** Words that name no role on their own: `FooService` and `BarService` share no role by that word. */
const GENERIC = new Set([
  'service', 'services', 'component', 'module', 'manager', 'helper', 'helpers', 'util', 'utils', 'handler', 'provider', 'impl', 'base', 'default',
  'abstract', 'factory', 'builder', 'controller', 'store', 'client', 'adapter', 'wrapper', 'api', 'core', 'common', 'shared', 'internal', 'main',
  'simple', 'basic', 'generic', 'custom', 'new', 'old', 'legacy', 'my', 'app', 'class', 'type', 'types', 'data', 'info', 'item', 'list', 'model',
  'options', 'config', 'state', 'props', 'context', 'value', 'values', 'result', 'results', 'error', 'event', 'events', 'the', 'of', 'for', 'and',
  'to', 'from', 'with', 'by', 'in', 'on', 'get', 'set', 'create', 'make', 'build', 'use', 'is', 'has', 'v1', 'v2', 'v3', 'entity', 'dto', 'view',
  'page', 'spec', 'test', 'mock', 'fake', 'stub', 'instance', 'interface', 'object', 'function', 'fn',
]);
/** Leading verbs of factory functions: `createToolDispatcher` is named by `tool dispatcher`. */
const VERBS = new Set(['create', 'make', 'build', 'new', 'get', 'use', 'init', 'provide', 'with', 'define', 'setup']);

/** `createToolDispatcher` -> ['tool', 'dispatcher']; `TOOL_CONFIG` -> ['tool', 'config']. */
export function nameWords(name: string, isFunction = false): string[] {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (isFunction && words.length > 1 && VERBS.has(words[0]!)) words.shift();
  return words;
}

/** `dispatcher`, `dispatch` -> `dispatch`: names of one role often differ by an agent suffix. */
function stem(word: string): string {
  return word.length > 5 ? word.replace(/(er|or|ers|ors|ing|s)$/, '') : word;
}

/**
 * The longest run of words two names share (stemmed), when it is at least two words and not only
 * generic ones (`ToolDispatcher` ~ `AgentToolDispatcher` -> `tool dispatcher`; `UserService` ~
 * `OrderService` -> nothing).
 */
export function sharedRoleNoun(a: readonly string[], b: readonly string[]): string | undefined {
  const sa = a.map(stem);
  const sb = b.map(stem);
  let best: string[] = [];
  for (let i = 0; i < sa.length; i++) {
    for (let j = 0; j < sb.length; j++) {
      let k = 0;
      while (i + k < sa.length && j + k < sb.length && sa[i + k] === sb[j + k]) k++;
      if (k > best.length) best = a.slice(i, i + k);
    }
  }
  if (best.length < 2 || best.every((w) => GENERIC.has(w))) return undefined;
  return best.join(' ');
}

/** Word bigrams of a name (stemmed), to find names that may share a role noun without comparing all pairs. */
export function wordBigrams(words: readonly string[]): string[] {
  const s = words.map(stem);
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) if (!(GENERIC.has(words[i]!) && GENERIC.has(words[i + 1]!))) out.push(`${s[i]} ${s[i + 1]}`);
  return out;
}

const DOUBLE_NAME = /^(Fake|Mock|Mocked|Stub|Dummy|Spy|InMemory|Noop|NoOp|Null|Test|Testing)(?=[A-Z_]|$)|(Fake|Mock|Stub|Spy|Double|Dummy)$/;
// A folder or file name made of a test-support word: `__mocks__/`, `medusa-test-utils/`, `mock-event-bus.ts`, `user.fake.ts`.
const DOUBLE_PATH = /(^|\/)([\w.-]*[-_.])?(__mocks__|__fakes__|__stubs__|mocks?|fakes?|stubs?|testing|test-?utils|test-?helpers|testkit|fixtures?|e2e|cypress|playwright)([-_.][\w.-]*)?(\/|$)/i;
const VENDORED_PATH = /(^|\/)(vendor|vendored|third[-_]party|external|node_modules)(\/|$)/i;
const DEPRECATED_PATH = /(^|[/._-])(legacy|old|deprecated|v1)([/._-]|$)/i;
const DEPRECATED_NAME = /^(Legacy|Old|Deprecated)(?=[A-Z_])|(Legacy|Old|V1)$/;

/** A test double by its name or its folder (`FakeUserStore`, `src/testing/…`, `user.mock.ts`). */
export function looksLikeTestDouble(name: string, file: string): boolean {
  return DOUBLE_NAME.test(name) || DOUBLE_PATH.test(file);
}

export function isVendored(file: string): boolean {
  return VENDORED_PATH.test(file);
}

/** `@deprecated`, or `legacy`/`old`/`v1` in its path or name. */
export function isDeprecated(name: string, file: string, docDeprecated: boolean | undefined): boolean {
  return !!docDeprecated || DEPRECATED_PATH.test(file) || DEPRECATED_NAME.test(name);
}

/** `AbstractFooService`, `BaseRepository`: named as the contract others extend, not an implementation. */
export function contractName(name: string): boolean {
  return /^(Abstract|Base)[A-Z]/.test(name);
}

/** Names of factories: what they make is their role, not their own name. */
export function factoryName(name: string): boolean {
  // Not `Provider`: a payment provider or a NestJS provider is an implementation of a role, not a maker of one.
  return /(Factory|Builder|Creator|Maker)$/.test(name);
}
