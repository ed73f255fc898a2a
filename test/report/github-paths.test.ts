import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';

// Issue 19, item 6: CI annotations and SARIF locations name files from the repository's top, so they land
// on the right lines when the scanned folder is a subfolder; one run writes several formats.
const files = {
  'apps/api/ssot.config.json': {
    rules: { 'ssot-api-gap': 'off' },
    groups: [{ name: 'dispatcher', ssot: { module: 'src/ssot.ts', export: 'RequestScopedToolDispatcher' }, legacy: ['src/legacy.ts'], role: ['*ToolDispatcher'], allow: ['src/legacy.ts'] }],
  },
  'apps/api/src/ssot.ts': 'export class RequestScopedToolDispatcher { dispatch(): void {} }\n',
  'apps/api/src/legacy.ts': 'export class LegacyDispatcher { dispatch(): void {} }\n',
  'apps/api/src/orders.ts': "import { LegacyDispatcher } from './legacy';\nexport const d = LegacyDispatcher;\n",
};

describe('CI output paths', () => {
  it('github annotations name files from the git top, or from --path-base', () => {
    const { root } = gitRepo(files);
    const fromTop = runCli(['scan', 'apps/api', '--format', 'github', '--no-cache'], root);
    expect(fromTop.code).toBe(1);
    expect(fromTop.stdout).toContain('::error file=apps/api/src/orders.ts,line=1,col=34,');
    // Run from inside the subfolder: still the repository's top.
    expect(runCli(['scan', '.', '--format', 'github', '--no-cache'], path.join(root, 'apps/api')).stdout).toContain('file=apps/api/src/orders.ts,');
    const based = runCli(['scan', 'apps/api', '--format', 'github', '--no-cache', '--path-base', 'apps'], root);
    expect(based.stdout).toContain('::error file=api/src/orders.ts,line=1,');
  });

  it('writes sarif, markdown and text from one run; SARIF URIs from the git top, its root a file: URL', () => {
    const { root } = gitRepo(files);
    const r = runCli(['check', 'apps/api', '--since', 'HEAD', '--no-cache', '--format', 'sarif:out/ssot.sarif', '--format', 'markdown:out/comment.md', '--format', 'text'], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('report written to out/ssot.sarif, out/comment.md');
    expect(r.stdout).toMatch(/known/);
    const sarif = JSON.parse(readFileSync(path.join(root, 'out/ssot.sarif'), 'utf8'));
    const run = sarif.runs[0];
    expect(run.originalUriBaseIds.SRCROOT.uri).toBe(pathToFileURL(realpathSync(root)).href + '/');
    expect(JSON.stringify(run)).not.toContain('helpUri');
    expect(readFileSync(path.join(root, 'out/comment.md'), 'utf8').length).toBeGreaterThan(0);

    const scan = runCli(['scan', 'apps/api', '--no-cache', '--format', 'sarif:s.sarif', '-q'], root);
    const results = JSON.parse(readFileSync(path.join(root, 's.sarif'), 'utf8')).runs[0].results;
    expect(results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('apps/api/src/orders.ts');
    expect(scan.code).toBe(1);
  });

  it('refuses two formats for stdout and an unknown format (exit 2)', () => {
    const { root } = gitRepo(files);
    expect(runCli(['scan', 'apps/api', '--no-cache', '--format', 'github', '--format', 'text'], root)).toMatchObject({ code: 2 });
    const unknown = runCli(['scan', 'apps/api', '--no-cache', '--format', 'sariff:x.sarif'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"sariff" is not a format');
  });

  it('--since a missing remote branch says how to fetch it', () => {
    const { root, git } = gitRepo(files);
    git('remote', 'add', 'upstream', 'https://example.invalid/repo.git');
    const r = runCli(['check', 'apps/api', '--since', 'upstream/main', '--no-cache'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('git fetch --depth=1 upstream main');
  });
});
