import { cpSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cycleImportPrefix, implementationImportPrefix, NEW_CLASS_PREFIX, projectCallPrefix, siblingOf } from '../bench/edits.mjs';
import { cutoffFor, fileReads, inertChange } from '../src/incremental.js';
import { scan, type ScanResult } from '../src/index.js';
import type { FileFacts } from '../src/types.js';

/** A copy of the fixture whose files are all older than the cache's racy-timestamp window. */
function fixtureCopy(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ssot-incremental-'));
  cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
  return root;
}

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = path.join(root, rel);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past); // outside the racy window, as an edit made a minute ago
}

const comparable = (r: ScanResult) => ({ findings: r.findings, groups: r.groups, summary: r.summary });

/** A copy of the fixture, scanned once with a cache in it. */
async function scannedCopy(): Promise<{ root: string; cache: string }> {
  const root = fixtureCopy();
  const cache = path.join(root, '.cache');
  await scan({ root, cache });
  return { root, cache };
}

/** Scans again with the cache, expecting the path it takes (`undefined`: a full run), and checks the result against a full run. */
async function rescan(root: string, cache: string, reused: ScanResult['coverage']['reused']): Promise<ScanResult> {
  const result = await scan({ root, cache });
  expect(result.coverage.reused).toBe(reused);
  await expectSameAsFull(result, root);
  return result;
}

/** The incremental result equals a full run without the cache. */
async function expectSameAsFull(result: ScanResult, root: string): Promise<void> {
  expect(comparable(result)).toEqual(comparable(await scan({ root, cache: false })));
}

describe('reusing the previous result', () => {
  it('gives exactly the full result when changed files only moved (lines inserted, bodies edited)', async () => {
    const { root, cache } = await scannedCopy();
    edit(root, 'src/compat/dispatchers.ts', (t) => `// header\n// more\n\n${t}`);
    edit(root, 'src/factories/agent-instance-factory.ts', (t) => `/* license */\n${t}`);
    edit(root, 'src/agents/research-agent.ts', (t) => t.replace(/\n/, '\n\n\n'));
    const quick = await rescan(root, cache, 'moved');
    expect(quick.coverage.cached).toBe(quick.coverage.parsed - 3);
    expect(quick.findings.find((f) => f.file === 'src/compat/dispatchers.ts')!.line).toBe(10);
  });

  it('falls back to a full run when a change alters facts, and is still exact', async () => {
    const { root, cache } = await scannedCopy();
    edit(root, 'src/services/notification-service.ts', (t) => `import { UnifiedToolDispatcher } from '../tools/unified-tool-dispatcher';\nexport const legacyAgain = UnifiedToolDispatcher;\n${t}`);
    const incremental = await scan({ root, cache });
    expect(incremental.coverage.reused).toBeUndefined();
    const full = await scan({ root, cache: false });
    expect(comparable(incremental)).toEqual(comparable(full));
    expect(incremental.summary.byRule['legacy-import']).toBe(42);
  });

  it('stays exact over successive edits of the same file', async () => {
    const { root, cache } = await scannedCopy();
    for (let i = 0; i < 3; i++) {
      edit(root, 'src/tools/unified-tool-dispatcher.ts', (t) => `// edit ${i}\n${t}`);
      await rescan(root, cache, 'moved');
    }
  });
});

/** Where an edit is made: the file, every file of the project, and the project's root. */
interface EditSite {
  rel: string;
  files: string[];
  root: string;
}

/** The specifier from `site.rel` to another project file, as a developer writes it (relative, no extension). */
function specifierTo(site: EditSite, target: string): string {
  const spec = path.posix.relative(path.posix.dirname(site.rel), target).replace(/\.ts$/, '');
  return spec.startsWith('.') ? spec : `./${spec}`;
}

/** Another project file, picked by `n`. */
const otherFile = (site: EditSite, n: number): string => site.files.filter((f) => f !== site.rel)[n % (site.files.length - 1)]!;

/** A file that imports this one (by the last part of its path), if there is one: importing it back closes a cycle. */
function importerOf(site: EditSite, n: number): string | undefined {
  const stem = path.posix.basename(site.rel, '.ts');
  const importers = site.files.filter((f) => f !== site.rel && readFileSync(path.join(site.root, f), 'utf8').includes(`/${stem}'`));
  return importers.length ? importers[n % importers.length] : undefined;
}

/** Edits a developer makes to one file: some only add or remove inert declarations, some change what the analysis sees. */
const EDITS: { name: string; apply: (text: string, n: number, site: EditSite) => string }[] = [
  { name: 'new exported const', apply: (t, n) => `export const ssotProbe${n} = ${n};\n${t}` },
  { name: 'new exported object const (appended)', apply: (t, n) => `${t}\nexport const probeConfig${n} = { retries: ${n}, tags: ['a'] };\n` },
  { name: 'new interface', apply: (t, n) => `export interface ProbeShape${n} {\n  id: string;\n}\n${t}` },
  { name: 'new type alias', apply: (t, n) => `export type ProbeId${n} = string | number;\n${t}` },
  { name: 'new enum', apply: (t, n) => `export enum ProbeKind${n} {\n  A,\n  B,\n}\n${t}` },
  { name: 'new local const', apply: (t, n) => `const probeLocal${n} = [${n}];\n${t}` },
  { name: 'new mutable export', apply: (t, n) => `export let probeCounter${n} = 0;\n${t}` },
  { name: 'new function', apply: (t, n) => `export function probeFn${n}() {\n  return ${n};\n}\n${t}` },
  { name: 'new class', apply: (t, n) => `export class ProbeClass${n} {\n  run() {}\n}\n${t}` },
  { name: 'const named like a role class', apply: (t) => `export const UnifiedToolDispatcher = 1;\n${t}` },
  { name: 'const named like a legacy export', apply: (t) => `export const ToolDispatcher = { dispatch() {} };\n${t}` },
  { name: 'interface extending another', apply: (t, n) => `export interface ProbeExt${n} extends Object {\n  x: number;\n}\n${t}` },
  { name: 'alias of a class', apply: (t, n) => `import { UnifiedToolDispatcher as U${n} } from '../tools/unified-tool-dispatcher';\nexport const Alias${n} = U${n};\n${t}` },
  { name: 'rename the first exported const/type/interface', apply: (t, n) => t.replace(/export (const|type|interface) (\w+)/, `export $1 $2Renamed${n}`) },
  { name: 'unexport the first exported const/type/interface', apply: (t) => t.replace(/export (const|type|interface) /, '$1 ') },
  { name: 'delete the first exported const line', apply: (t) => t.replace(/^export const [^\n]*;\n/m, '') },
  { name: 'insert blank lines at the top', apply: (t) => `\n\n${t}` },
  { name: 'new arrow function const', apply: (t, n) => `export const probeArrow${n} = (x: number) => x + ${n};\n${t}` },
  { name: 'new function named like a role', apply: (t, n) => `export function createProbe${n}ToolDispatcher() {}\n${t}` },
  { name: 'new function that constructs a role class', apply: (t, n) => `export function probeMake${n}() {\n  return new UnifiedToolDispatcher();\n}\n${t}` },
  { name: 'new function named like an existing class', apply: (t) => `export function UnifiedToolDispatcher() {}\n${t}` },
  { name: 'delete the first exported function', apply: (t) => t.replace(/^export (async )?function \w+[^]*?\n}\n/m, '') },
  { name: 'new helper calling a package function', apply: (t, n) => `${t}\nexport function probeJoin${n}(): string {\n  return pathJoin('x', '${n}');\n}\n` },
  { name: 'new module-level call of a package function', apply: (t, n) => `${t}\nconst probeJoined${n} = pathJoin('y', '${n}');\n` },
  { name: 'new helper calling a project import', apply: (t, n) => `import { createToolDispatcher as make${n} } from '../tools/request-scoped-tool-dispatcher';\n${t}\nexport function probeMake${n}() {\n  return make${n}();\n}\n` },
  { name: 'delete the package call of the first helper', apply: (t) => t.replace(/return pathJoin\([^)]*\);/, "return '';") },
  { name: 'new package import, used in a new helper', apply: (t, n) => `import { format as fmt${n} } from 'node:util';\n${t}\nexport function probeFormat${n}(): string {\n  return fmt${n}('%d', ${n});\n}\n` },
  { name: 'new side-effect package import', apply: (t) => `import 'node:process';\n${t}` },
  { name: 'new package import, unused', apply: (t, n) => `import { EventEmitter as Emitter${n} } from 'node:events';\n${t}` },
  { name: 'remove the package import line', apply: (t) => t.replace(/^import \{ join as pathJoin \} from 'node:path';\n/m, '') },
  { name: 'new project import, unused', apply: (t, n) => `import { ToolDispatcher as TD${n} } from '../tools/tool-dispatcher';\n${t}` },
  { name: 'new side-effect import of a legacy module', apply: (t) => `import '../tools/tool-dispatcher';\n${t}` },
  { name: 'new function named like an Object.prototype member', apply: (t) => `export function toString(): string {\n  return '';\n}\n${t}` },
  { name: 'new helper calling the first named import', apply: (t, n) => { const m = /import \{ (\w+)/.exec(t); return m ? `${t}\nexport function probeCall${n}() {\n  return ${m[1]}();\n}\n` : t; } },
  { name: 'new side-effect import of another project module', apply: (t, n, site) => `import '${specifierTo(site, otherFile(site, n))}';\n${t}` },
  { name: 'new unused named import of another project module', apply: (t, n, site) => `import { probeUnused${n} } from '${specifierTo(site, otherFile(site, n))}';\n${t}` },
  { name: 'new type-only import of another project module', apply: (t, n, site) => `import type { ProbeType${n} } from '${specifierTo(site, otherFile(site, n))}';\n${t}` },
  { name: 'new dynamic import of another project module', apply: (t, n, site) => `${t}\nexport async function probeLoad${n}(): Promise<unknown> {\n  return import('${specifierTo(site, otherFile(site, n))}');\n}\n` },
  { name: 'new side-effect import of a module that imports this one', apply: (t, n, site) => { const back = importerOf(site, n); return back ? `import '${specifierTo(site, back)}';\n${t}` : t; } },
  { name: 'remove the first relative import', apply: (t) => t.replace(/^import [^\n]*from '\.[^\n]*\n/m, '') },
  { name: 'new module-level instance of a package class', apply: (t, n) => `import { EventEmitter as Bus${n} } from 'node:events';\n${t}\nexport const probeBus${n} = new Bus${n}();\n` },
  { name: 'new module-level instance of a class of another project module', apply: (t, n, site) => { const target = otherFile(site, n); const m = /export class (\w+)/.exec(readFileSync(path.join(site.root, target), 'utf8')); return m ? `import { ${m[1]} as ProbeKept${n} } from '${specifierTo(site, target)}';\n${t}\nexport const probeKept${n} = new ProbeKept${n}();\n` : t; } },
  { name: 'new helper calling a function of another project module', apply: (t, n, site) => { const target = otherFile(site, n); const m = /export (?:async )?function (\w+)/.exec(readFileSync(path.join(site.root, target), 'utf8')); return m ? `import { ${m[1]} as probeFn${n} } from '${specifierTo(site, target)}';\n${t}\nexport function probeUse${n}(): unknown {\n  return probeFn${n};\n}\nvoid probeFn${n}();\n` : t; } },
  { name: 'new construction of a class of another project module', apply: (t, n, site) => { const target = otherFile(site, n); const m = /export class (\w+)/.exec(readFileSync(path.join(site.root, target), 'utf8')); return m ? `import { ${m[1]} as ProbeClass${n} } from '${specifierTo(site, target)}';\n${t}\nexport function probeBuild${n}(): unknown {\n  return new ProbeClass${n}();\n}\n` : t; } },
  { name: 'new helper constructing an imported dispatcher or factory', apply: (t, n) => { const m = /^import \{[^}]*?\b(\w*(?:Dispatcher|Factory|Engine)\w*)/m.exec(t) ?? /import \{ (\w+)/.exec(t); return m ? `${t}\nexport function probeNew${n}() {\n  return new ${m[1]}();\n}\n` : t; } },
];

describe('early cutoff: edits that only add or remove inert declarations', () => {
  it('reuses the previous result for a new exported constant, re-positioned, equal to a full run', async () => {
    const { root, cache } = await scannedCopy();
    edit(root, 'src/compat/dispatchers.ts', (t) => `export const ssotProbe = 1;\nexport interface SsotProbeShape {\n  id: string;\n}\n${t}`);
    const quick = await rescan(root, cache, 'inert');
    expect(quick.findings.find((f) => f.file === 'src/compat/dispatchers.ts')!.line).toBe(11);
  });

  it('reuses the previous result for a new helper function that calls nothing imported', async () => {
    const { root, cache } = await scannedCopy();
    edit(root, 'src/agents/research-agent.ts', (t) => `${t}\nexport function formatSsotProbe(value: number): string {\n  return value.toFixed(2);\n}\n`);
    await rescan(root, cache, 'inert');
    // Named like a role (the fixture's role globs match *ToolDispatcher), it is a candidate implementation: full run.
    edit(root, 'src/agents/research-agent.ts', (t) => `${t}\nexport function createProbeToolDispatcher(): void {}\n`);
    await rescan(root, cache, undefined);
  });

  it('reuses the previous result when a body gains or loses a call of a package function', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    const rel = 'src/agents/research-agent.ts';
    edit(root, rel, (t) => `import { basename } from 'node:path';\n${t}\nexport function ssotLabel(file: string): string {\n  return basename(file);\n}\n`);
    await scan({ root, cache });
    edit(root, rel, (t) => t.replace('return basename(file);', 'const base = basename(file);\n  return basename(base, \'.ts\');'));
    await rescan(root, cache, 'inert');
  });

  it('falls back to a full run when a body gains a call of a project import, and reports it', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    const before = await scan({ root, cache });
    const rel = 'src/jobs/retry-failed-runs-job.ts';
    const imported = 'RequestScopedToolDispatcher'; // imported from ../compat/dispatchers, an alias of the legacy UnifiedToolDispatcher
    edit(root, rel, (t) => `${t}\nexport function ssotMakeAnother() {\n  return new ${imported}();\n}\n`);
    const after = await rescan(root, cache, undefined);
    expect(after.summary.byRule['factory-bypass']).toBe(before.summary.byRule['factory-bypass']! + 1);
  });

  it('reuses the previous result when a file gains an import of a package, and not for a package legacy module', async () => {
    const { root, cache } = await scannedCopy();
    const rel = 'src/agents/research-agent.ts';
    edit(root, rel, (t) => `import 'node:process';\nimport { inspect } from 'node:util';\n${t}\nexport function ssotShow(x: unknown): string {\n  return inspect(x);\n}\n`);
    await rescan(root, cache, 'inert');
    // A later edit of the same file is judged the same way (its new references' targets were kept).
    edit(root, rel, (t) => t.replace('return inspect(x);', 'return inspect(x, { depth: 1 });').replace("import 'node:process';\n", ''));
    await rescan(root, cache, 'inert');
    // With a package as a legacy module, importing it is a finding: a full run.
    const config = JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')) as { groups: { legacy: unknown[] }[] };
    config.groups[0]!.legacy.push('legacy-dispatch-sdk');
    writeFileSync(path.join(root, 'ssot.config.json'), JSON.stringify(config));
    await scan({ root, cache });
    edit(root, rel, (t) => `import 'legacy-dispatch-sdk';\n${t}`);
    const legacy = await rescan(root, cache, undefined);
    expect(legacy.findings.some((f) => f.ruleId === 'legacy-import' && f.file === rel && f.line === 1)).toBe(true);
  });

  it('reuses the previous result when a file gains or loses an import of a project module off every cycle', async () => {
    const { root, cache } = await scannedCopy();
    const rel = 'src/agents/research-agent.ts';
    const original = readFileSync(path.join(root, rel), 'utf8');
    edit(root, rel, (t) => `import '../lib/ids';\nimport { probeUnused } from '../lib/logger';\n${t}`);
    await rescan(root, cache, 'inert');
    edit(root, rel, () => original);
    await rescan(root, cache, 'inert');
  });

  it('judges a project import the same way after the modules it reaches only moved, twice', async () => {
    const { root, cache } = await scannedCopy();
    for (const header of ['// first\n', '// second\n\n']) {
      edit(root, 'src/agents/agent-definition.ts', (t) => `${header}${t}`);
      expect((await scan({ root, cache })).coverage.reused).toBe('moved');
    }
    // agent-definition's targets are cached under the hash it had at the full run; it is reached from the new import.
    edit(root, 'src/services/billing-service.ts', (t) => `import '../agents/research-agent';\n${t}`);
    await rescan(root, cache, 'inert');
  });

  it('runs only the module graph\'s rules again when a project import closes a cycle, and reports the cycle', async () => {
    const { root, cache } = await scannedCopy();
    const before = await scan({ root, cache });
    // research-agent imports agent-definition: importing it back closes a cycle of two.
    edit(root, 'src/agents/agent-definition.ts', (t) => `import './research-agent';\n${t}`);
    const after = await rescan(root, cache, 'rules');
    const cycle = (r: ScanResult) => r.findings.find((f) => f.messageId === 'runtimeCycle' && f.message.includes('research-agent'));
    expect(cycle(before)).toBeUndefined();
    expect(cycle(after)).toBeDefined();
    // A body edit on top moves the new finding with the others.
    edit(root, 'src/agents/agent-definition.ts', (t) => `// moved\n${t}`);
    expect(cycle(await rescan(root, cache, 'moved'))!.line).toBe(cycle(after)!.line + 1);
    // Removing it again opens the cycle: import-cycle runs again, the rest is kept.
    edit(root, 'src/agents/agent-definition.ts', (t) => t.replace("// moved\nimport './research-agent';\n", ''));
    const opened = await rescan(root, cache, 'rules');
    expect(comparable(opened)).toEqual(comparable(before));
  });

  it('runs nothing again for an import on a cycle when import-cycle is off, and everything when the edit is not inert to other rules', async () => {
    const { root, cache } = await scannedCopy();
    const config = path.join(root, 'ssot.config.json');
    const json = JSON.parse(readFileSync(config, 'utf8')) as { rules?: Record<string, unknown> };
    writeFileSync(config, JSON.stringify({ ...json, rules: { ...json.rules, 'import-cycle': 'off' } }, null, 2));
    await scan({ root, cache });
    edit(root, 'src/agents/agent-definition.ts', (t) => `import './research-agent';\n${t}`);
    await rescan(root, cache, 'inert');
    writeFileSync(config, JSON.stringify(json, null, 2));
    // A cycle closed together with a new class (which discovery, name-collision and shared-state read): a full run.
    const other = await scannedCopy();
    edit(other.root, 'src/agents/agent-definition.ts', (t) => `import './research-agent';\n${NEW_CLASS_PREFIX}${t}`);
    await rescan(other.root, other.cache, undefined);
    // An import on a cycle that also reaches an implementation's module (the consumer map): a full run.
    // (unified-tool-dispatcher imports lib/ids.)
    edit(other.root, 'src/lib/ids.ts', (t) => `import '../tools/unified-tool-dispatcher';\n${t}`);
    await rescan(other.root, other.cache, undefined);
  });

  it('falls back to a full run for a project import the consumer map, legacy barrels or shared-state scope could see', async () => {
    const cases: [rel: string, line: string][] = [
      ['src/agents/research-agent.ts', "import { createToolDispatcher as probeMake } from '../tools/request-scoped-tool-dispatcher';"], // the SSOT's module: in the consumer map's reach
      ['src/agents/research-agent.ts', "import '../tools/unified-tool-dispatcher';"], // a legacy module that declares an implementation
      ['src/services/billing-service.ts', "import { probeUnused } from '../legacy/dispatch';"], // a legacy module
      ['src/services/billing-service.ts', "import '../jobs/job-toolkit';"], // a barrel that re-exports legacy code
      ['src/tools/unified-tool-dispatcher.ts', "import '../lib/ids';"], // from an implementation: its imports are in the shared-state scope
      ['src/agents/research-agent.ts', "import { defineAgent } from '../lib/ids';"], // rebinds a name the file calls
    ];
    for (const [rel, line] of cases) {
      const { root, cache } = await scannedCopy();
      edit(root, rel, (t) => `${line}\n${t}`);
      const result = await scan({ root, cache });
      expect(result.coverage.reused, `${rel}: ${line}`).toBeUndefined();
      await expectSameAsFull(result, root);
    }
  });

  it('reuses the previous result when a file gains or loses a call of a project function outside every implementation\'s reach', async () => {
    const { root, cache } = await scannedCopy();
    const rel = 'src/agents/research-agent.ts';
    edit(root, rel, (t) => `import { newId } from '../lib/ids';\n${t}\nexport function ssotProbeId(): string {\n  return newId('probe') + String(setTimeout(() => {}, 1));\n}\n`);
    await rescan(root, cache, 'inert');
    // Removing the call from a function that is already there changes what that function reaches: shared-state
    // follows calls from request handlers (issue 18), and the cutoff cannot tell per file whether a handler reaches
    // it, so the run is full (and equal to a --no-cache run).
    edit(root, rel, (t) => t.replace("newId('probe') + ", ''));
    await rescan(root, cache, undefined);
  });

  it('falls back to a full run for a module-level instance of a project class, added or bound anew (discovery: every file is in the shared-state scope)', async () => {
    const setup = () => {
      const root = fixtureCopy();
      rmSync(path.join(root, 'ssot.config.json'));
      writeFileSync(path.join(root, 'src/lib/probe-widget.ts'), 'export class ProbeWidget {\n  count = 0;\n  hit(): void {\n    this.count++;\n  }\n}\n');
      writeFileSync(path.join(root, 'src/lib/probe-user.ts'), 'export const probeReady = true;\n');
      return { root, cache: path.join(root, '.cache') };
    };
    const instances = (r: ScanResult) => r.findings.filter((f) => f.messageId === 'moduleInstance' && f.file === 'src/lib/probe-user.ts');
    // Added with its import.
    const a = setup();
    await scan(a);
    edit(a.root, 'src/lib/probe-user.ts', (t) => `import { ProbeWidget } from './probe-widget';\n${t}new ProbeWidget();\n`);
    const added = await scan(a);
    expect(added.coverage.reused).toBeUndefined();
    expect(instances(added)).toHaveLength(1);
    await expectSameAsFull(added, a.root);
    // Already there, bound to a function of another module; the edit imports the name from the module with the class.
    const b = setup();
    writeFileSync(path.join(b.root, 'src/lib/probe-widget-fn.ts'), 'export function ProbeWidget(): void {}\n');
    edit(b.root, 'src/lib/probe-user.ts', (t) => `import { ProbeWidget } from './probe-widget-fn';\n${t}new ProbeWidget();\n`);
    await scan(b);
    edit(b.root, 'src/lib/probe-user.ts', (t) => t.replace('./probe-widget-fn', './probe-widget'));
    const bound = await scan(b);
    expect(bound.coverage.reused).toBeUndefined();
    expect(instances(bound)).toHaveLength(1);
    await expectSameAsFull(bound, b.root);
  });

  it('falls back to a full run for a new construction of a role class the file declares (a factory bypass)', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    const rel = 'src/services/probe-tool-dispatcher.ts';
    writeFileSync(path.join(root, rel), 'export class ProbeToolDispatcher {\n  dispatch(): void {}\n}\n');
    await scan({ root, cache });
    edit(root, rel, (t) => `${t}\nfunction probeMake(): ProbeToolDispatcher {\n  return new ProbeToolDispatcher();\n}\nvoid probeMake;\n`);
    const after = await scan({ root, cache });
    expect(after.coverage.reused).toBeUndefined();
    expect(after.findings.some((f) => f.ruleId === 'factory-bypass' && f.file === rel)).toBe(true);
    await expectSameAsFull(after, root);
  });

  it('runs import-cycle again when a call makes a type-only import on a cycle a runtime one (the cut advice changes)', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    writeFileSync(path.join(root, 'src/lib/cyc-a.ts'), "import { helperB, type Shape } from './cyc-b';\n\nexport function helperA(s: Shape): typeof helperB {\n  return helperB;\n}\n");
    writeFileSync(path.join(root, 'src/lib/cyc-b.ts'), "import { helperA } from './cyc-a';\n\nexport interface Shape {\n  id: string;\n}\n\nexport function helperB(): unknown {\n  return helperA;\n}\n");
    await scan({ root, cache });
    edit(root, 'src/lib/cyc-a.ts', (t) => `${t}\nexport function probeCall(): unknown {\n  return helperB();\n}\n`);
    await rescan(root, cache, 'rules');
  });

  it('falls back to a full run for an import of a barrel of a legacy module that no implementation reaches', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    const config = JSON.parse(readFileSync(path.join(root, 'ssot.config.json'), 'utf8')) as { groups: { legacy: unknown[] }[] };
    config.groups[0]!.legacy.push('src/lib/job.ts');
    writeFileSync(path.join(root, 'ssot.config.json'), JSON.stringify(config));
    writeFileSync(path.join(root, 'src/lib/index.ts'), "export * from './job';\n");
    const before = await scan({ root, cache });
    edit(root, 'src/agents/research-agent.ts', (t) => `import '../lib';\n${t}`);
    const after = await rescan(root, cache, undefined);
    const indirect = (r: ScanResult) => r.findings.filter((f) => f.messageId === 'indirectImport' && f.file === 'src/agents/research-agent.ts');
    expect(indirect(before)).toHaveLength(0);
    expect(indirect(after)).toHaveLength(1);
  });

  it('reuses the previous result for a constant made by a package call or a package class, not by a project class', async () => {
    const { root, cache } = await scannedCopy();
    const rel = 'src/services/billing-service.ts';
    edit(root, rel, (t) => `import { EventEmitter } from 'node:events';\nimport { randomUUID } from 'node:crypto';\n${t}\nexport const ssotBus = new EventEmitter();\nconst ssotRunId = randomUUID();\nvoid ssotRunId;\n`);
    await rescan(root, cache, 'inert');
    edit(root, rel, (t) => `import { AuditLogService as SsotAudit } from './audit-log-service';\n${t}\nexport const ssotAudit = new SsotAudit();\n`);
    await rescan(root, cache, undefined);
  });

  it('falls back to a full run for a name the analysis looked up: an export others import', async () => {
    const { root, cache } = await scannedCopy();
    // tools/index.ts re-exports names other files import; adding one of them changes what they resolve to.
    edit(root, 'src/services/notification-service.ts', (t) => `${t}\nexport const UnifiedToolDispatcher = 1;\n`);
    await rescan(root, cache, undefined);
  });

  it('gives exactly the full result on random sequences of edits, whichever path each scan takes', async () => {
    const root = fixtureCopy();
    const cache = path.join(root, '.cache');
    const files = (readdirSync(path.join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => `src/${f.split(path.sep).join('/')}`).sort();
    // Every other file imports a package function and calls it once, so edits can add and remove such calls.
    files.forEach((rel, i) => {
      if (i % 2 === 0) edit(root, rel, (t) => `import { join as pathJoin } from 'node:path';\n${t}\nexport function ssotPathProbe(): string {\n  return pathJoin('a');\n}\n`);
    });
    await scan({ root, cache });
    const paths: Record<string, number> = {};
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...files), fc.integer({ min: 0, max: EDITS.length - 1 })), { minLength: 1, maxLength: 3 }), async (edits) => {
        const originals = new Map<string, string>();
        for (const [rel, k] of edits) {
          const file = path.join(root, rel);
          if (!originals.has(rel)) originals.set(rel, readFileSync(file, 'utf8'));
          edit(root, rel, (t) => EDITS[k]!.apply(t, ++n, { rel, files, root }));
        }
        const incremental = await scan({ root, cache });
        paths[incremental.coverage.reused ?? 'full'] = (paths[incremental.coverage.reused ?? 'full'] ?? 0) + 1;
        await expectSameAsFull(incremental, root);
        for (const [rel, text] of originals) edit(root, rel, () => text); // restoring is an edit too
        const restored = await scan({ root, cache });
        await expectSameAsFull(restored, root);
      }),
      { numRuns: 100, seed: 7 },
    );
    // The property is only worth something if both paths were taken.
    expect(paths.inert ?? 0).toBeGreaterThan(10);
    expect(paths.full ?? 0).toBeGreaterThan(10);
  }, 120_000);
});

describe('the cutoff derived from what the rules declare they read (issue #20)', () => {
  it('follows factory-bypass into `returns` with groups configured: an implementation that stops making something is no factory', async () => {
    const { root, cache } = await scannedCopy();
    const before = await scan({ root, cache });
    // createUnifiedToolDispatcher returned `new UnifiedToolDispatcher(…)`; returning a variable, it returns nothing the facts know.
    edit(root, 'src/tools/unified-tool-dispatcher.ts', (t) => t.replace('  return new UnifiedToolDispatcher(context, options);', '  const made = new UnifiedToolDispatcher(context, options);\n  return made;'));
    const after = await rescan(root, cache, undefined);
    const calls = (r: ScanResult) => r.findings.filter((f) => f.messageId === 'legacyFactoryCall' && f.data.name === 'createUnifiedToolDispatcher');
    expect(calls(before).length).toBeGreaterThan(0);
    expect(calls(after)).toHaveLength(0);
  });

  /** The facts of a file before and after an edit, and a `FileReads` that records nothing. */
  const facts = (over: Partial<FileFacts> = {}): FileFacts => ({ refs: [], exports: [], starExports: [], decls: [], uses: [], state: [], units: [], typeOnlyUses: [], ...over });
  const loc = { line: 1, column: 1, endLine: 1, endColumn: 2 };
  const readsWith = (cutoff: ReturnType<typeof cutoffFor>) =>
    fileReads({ id: 'x', names: {}, whole: [], declared: {}, exported: {} }, 'a.ts', facts(), {
      roleName: () => false,
      previousTargets: () => [],
      resolve: () => '!pkg',
      legacy: () => false,
      projectRef: () => false,
      projectUse: () => false,
      cutoff,
    });
  const config = (rules: Record<string, { severity: 'off' }> = {}) => ({ rules, groups: [] });

  it('lets module state through only when no enabled rule reads it (shared-state off)', () => {
    const state = facts({ state: [{ kind: 'mutable-binding', name: 'counter', loc }] });
    expect(inertChange(facts(), state, readsWith(cutoffFor(config())))).toBeUndefined();
    expect(inertChange(facts(), state, readsWith(cutoffFor(config({ 'shared-state': { severity: 'off' } }))))).toBeDefined();
    expect(inertChange(facts(), state, readsWith(cutoffFor(config(), ['import-cycle'])))).toBeDefined();
  });

  it('compares type-only uses only for import-cycle, and parse errors always (the coverage counts them)', () => {
    const typeOnly = facts({ typeOnlyUses: ['Shape'] });
    expect(inertChange(facts(), typeOnly, readsWith(cutoffFor(config())))).toBeUndefined();
    expect(inertChange(facts(), typeOnly, readsWith(cutoffFor(config({ 'import-cycle': { severity: 'off' } }))))).toBeDefined();
    const broken = facts({ parseError: { message: 'x', loc } });
    expect(inertChange(facts(), broken, readsWith(cutoffFor(config(), ['shared-state'])))).toBeUndefined();
  });

  it('judges a new class by the rules that read classes: not inert while any does', () => {
    const added = facts({ decls: [{ name: 'Probe', kind: 'class', exported: true, loc, methods: ['run'] }] });
    expect(inertChange(facts(), added, readsWith(cutoffFor(config())))).toBeUndefined();
    const classReaders = ['competing-implementation', 'factory-bypass', 'shared-state', 'name-collision'];
    expect(inertChange(facts(), added, readsWith(cutoffFor(config(Object.fromEntries(classReaders.map((id) => [id, { severity: 'off' as const }]))))))).toBeDefined();
  });
});

describe('each one-file edit kind of the bench (bench/edits.mjs), inert or not', () => {
  it('gives exactly the result of a run without the cache', async () => {
    const { root, cache } = await scannedCopy();
    const files = (readdirSync(path.join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, 'src', f));
    const probe = path.join(root, 'src/agents/agent-definition.ts');
    const cold = await scan({ root, cache: false });
    const kinds: [string, string | undefined][] = [
      ['lines inserted', '// bench: edited\n\n'],
      ['new export', 'export const benchProbe = 1;\n'],
      ['package import', "import 'node:path';\n"],
      ['project import', `import './${siblingOf(probe)}';\n`],
      ['project import + call', projectCallPrefix(probe)],
      ['new class', NEW_CLASS_PREFIX],
      ['import closing a cycle', cycleImportPrefix(probe, files)],
      ["import of an implementation's module", implementationImportPrefix(probe, root, cold)],
    ];
    const original = readFileSync(probe, 'utf8');
    for (const [name, prefix] of kinds) {
      expect(prefix, name).toBeDefined();
      edit(root, path.relative(root, probe), () => original);
      await scan({ root, cache });
      edit(root, path.relative(root, probe), () => `${prefix}${original}`);
      const incremental = await scan({ root, cache });
      expect(comparable(incremental), name).toEqual(comparable(await scan({ root, cache: false })));
      // Inert to every rule but import-cycle: only it runs again.
      if (name === 'import closing a cycle') expect(incremental.coverage.reused, name).toBe('rules');
    }
  });
});
