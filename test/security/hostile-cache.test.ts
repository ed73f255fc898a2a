import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { CACHE_VERSION } from '../../src/scan/scan-cache.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

/**
 * Issue 15, item 5: a cache file of valid JSON but the wrong shape (`{}` as the stat index) crashed every
 * later run with a TypeError until it was deleted. Every part of the cache is replaced by hostile
 * content in turn; each run must give the cold run's findings and heal the cache.
 */
const files = {
  'ssot.config.json': { include: ['src/**/*.ts'], groups: [{ name: 'tools', ssot: { module: 'src/new-tools.ts', export: 'Tools' }, legacy: ['src/old-tools.ts'] }] },
  'src/new-tools.ts': 'export class Tools { run(): void {} }\n',
  'src/old-tools.ts': 'export class OldTools { run(): void {} }\n',
  'src/consumer.ts': "import { OldTools } from './old-tools';\nexport const tools = new OldTools();\nexport let counter = 0;\n",
  'src/cycle-a.ts': "import { b } from './cycle-b';\nexport const a = () => b;\n",
  'src/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;\n",
};

const brief = (r: Awaited<ReturnType<typeof scan>>): string[] => r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);

const hostile: [string, (text: string) => string][] = [
  ['an empty object', () => '{}'],
  ['an array', () => '[]'],
  ['null', () => 'null'],
  ['a number', () => '7'],
  ['not JSON', () => 'garbage {'],
  ['truncated', (t) => t.slice(0, Math.floor(t.length / 2))],
  ['empty', () => ''],
  ['a string where numbers go', (t) => t.replace(/\d+/g, '"x"')],
  ['nulls where strings go', (t) => t.replace(/"[^"]*"(?=[,\]])/g, 'null')],
  ['every line the same foreign line', (t) => t.split('\n').map((l, i) => (i === 0 ? l : '["src/consumer.ts","h",{"refs":5}]')).join('\n')],
  ['indices out of range', (t) => t.replace(/"ref":\d+/g, '"ref":99').replace(/"starExports":\[\]/g, '"starExports":[42]')],
  ['prototype keys', () => '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"savedAt":1,"files":{"__proto__":[1,2,"h"]}}'],
  ['a path outside the root', (t) => t.replace(/"src\//g, '"../../etc/')],
];

describe('a hostile cache (issue 15, item 5)', () => {
  it('every part, every corruption: the cold run\'s findings, no crash, and the cache heals', async () => {
    const root = tempProject(files);
    const cold = brief(await scan({ root, cache: false }));
    expect(cold).toContain('legacy-import src/consumer.ts:1:26');
    await scan({ root });
    const cacheDir = path.join(root, '.ssot-cache');
    const pristine = `${cacheDir}-pristine`;
    cpSync(cacheDir, pristine, { recursive: true });
    const parts = readdirSync(pristine).filter((f) => f.endsWith(`-v${CACHE_VERSION}.json`));
    expect(parts.length).toBeGreaterThanOrEqual(6); // index, listing, facts shards, resolve, result, reads
    let runs = 0;
    for (const part of parts) {
      for (const [name, corrupt] of hostile) {
        rmSync(cacheDir, { recursive: true, force: true });
        cpSync(pristine, cacheDir, { recursive: true });
        writeFileSync(path.join(cacheDir, part), corrupt(readFileSync(path.join(pristine, part), 'utf8')));
        expect(brief(await scan({ root })), `${part}: ${name}`).toEqual(cold);
        expect(brief(await scan({ root })), `${part}: ${name}, the run after`).toEqual(cold);
        runs++;
      }
    }
    expect(runs).toBe(parts.length * hostile.length);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the CLI: `{}` as the stat index gives the findings exit code and a report, never a stack trace', () => {
    const root = tempProject(files);
    expect(runCli(['scan', root, '-q']).code).toBe(1);
    writeFileSync(path.join(root, '.ssot-cache', `index-v${CACHE_VERSION}.json`), '{}');
    for (let i = 0; i < 2; i++) {
      const r = runCli(['scan', root, '--format', 'json']);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
      expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
    }
  });
});
