import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, fix, resolveConfig, scan, scanWithStatus, status, updateBaseline } from '../src/index.js';
import { DIAGNOSTICS } from '../src/diagnostics.js';
import { gitRepo } from './helpers/git-repo.js';
import { tempProject } from './helpers/temp-project.js';

interface Counts {
  /** Config files loaded, in order. */
  configs: string[];
  /** Times each file (root-relative) was handed to an extractor. */
  parses: Map<string, number>;
}

/** What `run` loads and parses, as the code publishes it on its diagnostics channels (src/diagnostics.ts). */
async function counting<T>(root: string, run: () => Promise<T>): Promise<Counts & { value: T }> {
  const configs: string[] = [];
  const parses = new Map<string, number>();
  const onConfig = (message: unknown): void => void configs.push(path.relative(root, (message as { file: string }).file));
  const onParse = (message: unknown): void => {
    const rel = path.relative(root, (message as { file: string }).file).split(path.sep).join('/');
    parses.set(rel, (parses.get(rel) ?? 0) + 1);
  };
  subscribe(DIAGNOSTICS.configLoaded, onConfig);
  subscribe(DIAGNOSTICS.fileParsed, onParse);
  try {
    return { value: await run(), configs, parses };
  } finally {
    unsubscribe(DIAGNOSTICS.configLoaded, onConfig);
    unsubscribe(DIAGNOSTICS.fileParsed, onParse);
  }
}

/** Files parsed more than once. */
const twice = (c: Counts): string[] => [...c.parses].filter(([, n]) => n > 1).map(([f]) => f);

function sourceFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(dir, `${rel}${e.name}/`) : e.name.endsWith('.ts') ? [`${rel}${e.name}`] : [],
  );
}

function legacyApp(): string {
  const root = tempProject({});
  cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
  return root;
}

/** Edits a file's text: what the next run finds changed. */
function edit(root: string, rel: string, change: (text: string) => string): void {
  const abs = path.join(root, rel);
  writeFileSync(abs, change(readFileSync(abs, 'utf8')));
}

// Issue #20, "one scan session": fix, check and status load the config once and parse each file at most once per run.
describe('one scan session per run', () => {
  // `fix` rewrites text: its transforms parse the files they change with @babel/parser, and the plan extracts
  // the facts of each rewritten text to check it. Those parse new text, the rewrite's output, and do not go
  // through the scan's extraction; what is counted here is the scan's own parsing (every file, once) and that
  // fix takes the project from the scan instead of listing and loading the files again.
  it('fix: one config load, and every source file parsed once, cold and after an edit the last result survives', async () => {
    const root = legacyApp();
    const cold = await counting(root, () => fix({ root, dryRun: true }));
    expect(cold.value.summary.filesChanged).toBeGreaterThan(0);
    expect(cold.configs).toEqual(['ssot.config.json']);
    expect(twice(cold)).toEqual([]);
    expect([...cold.parses.keys()].sort()).toEqual(sourceFiles(root, 'src/').sort());

    // A comment moves the file's facts: the cached result is reused, and the project comes from the same
    // session (the cache and the one file parsed to judge the edit), not from a second listing.
    edit(root, 'src/routes/chat-route.ts', (text) => `// moved down a line\n${text}`);
    const moved = await counting(root, () => fix({ root, dryRun: true }));
    expect(moved.configs).toEqual(['ssot.config.json']);
    expect(Object.fromEntries(moved.parses)).toEqual({ 'src/routes/chat-route.ts': 1 });
    expect(moved.value.summary).toEqual(cold.value.summary);
  });

  it('check: one config load; a file whose edit takes a full run is parsed once, not again by the full run', async () => {
    const root = legacyApp();
    await updateBaseline({ root });
    const warm = await counting(root, () => check({ root }));
    expect(warm.value.passed).toBe(true);
    expect(warm.configs).toEqual(['ssot.config.json']);
    expect(warm.parses.size).toBe(0);

    // A new import of a legacy module: the reuse stage parses the file, sees its facts changed, and the full run takes those facts.
    edit(root, 'src/routes/health-route.ts', (text) => `${text}\nimport { builtinTools } from '../tools/tool-dispatcher';\nexport const legacyTools = builtinTools;\n`);
    const changed = await counting(root, () => check({ root }));
    expect(changed.value.passed).toBe(false);
    expect(changed.value.findings.map((f) => `${f.ruleId} ${f.file}`)).toContain('legacy-import src/routes/health-route.ts');
    expect(changed.configs).toEqual(['ssot.config.json']);
    expect(Object.fromEntries(changed.parses)).toEqual({ 'src/routes/health-route.ts': 1 });
  });

  it('status: one config load, and the project of a reused result is not parsed again', async () => {
    const root = legacyApp();
    const cold = await counting(root, () => status({ root }));
    expect(cold.configs).toEqual(['ssot.config.json']);
    expect(twice(cold)).toEqual([]);
    expect(cold.value.groups.find((g) => g.group === 'tool-dispatcher')).toMatchObject({ phase: 'factories', onLegacy: 36 });

    edit(root, 'src/routes/chat-route.ts', (text) => `// moved down a line\n${text}`);
    const moved = await counting(root, () => status({ root }));
    expect(moved.configs).toEqual(['ssot.config.json']);
    expect(Object.fromEntries(moved.parses)).toEqual({ 'src/routes/chat-route.ts': 1 });
    expect(moved.value).toEqual(cold.value);
  });

  it('scan --history: the status comes from the same scan, not a second one', async () => {
    const { root, commit } = gitRepo({});
    cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
    commit('the fixture');
    // No cache: a second scan of the work tree would parse every file again.
    const run = await counting(root, () => scanWithStatus({ root, cache: false, history: 1 }));
    expect(run.value.status?.history).toHaveLength(1);
    expect(run.value.status?.groups.find((g) => g.group === 'tool-dispatcher')).toMatchObject({ onLegacy: 36 });
    // The commit's tree is another folder, scanned with its own copy of the config.
    const own = (c: Counts): Counts => ({ configs: c.configs.filter((f) => !f.startsWith('..')), parses: new Map([...c.parses].filter(([f]) => !f.startsWith('..'))) });
    expect(own(run).configs).toEqual(['ssot.config.json']);
    expect(twice(own(run))).toEqual([]);
    expect(own(run).parses.size).toBeGreaterThan(0);
  });

  it('scan takes a config object as it is: the same findings as from its file, and no file loaded', async () => {
    const root = legacyApp();
    const config = await resolveConfig({ root });
    const fromObject = await counting(root, () => scan({ root, config, cache: false }));
    expect(fromObject.configs).toEqual([]);
    const fromFile = await scan({ root, cache: false });
    expect(fromObject.value.findings).toEqual(fromFile.findings);
    expect(fromObject.value.findings.length).toBeGreaterThan(0);
  });
});
