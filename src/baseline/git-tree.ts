import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { isWithin } from '../is-within.js';

/** What a scan of another revision needs: sources, configs, ignore files; never assets. */
const NEEDED = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte|astro|json|yaml|yml)$|(^|\/)\.gitignore$/;

function git(cwd: string, args: string[], input?: string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 4 * 1024 * 1024 * 1024 });
  if (r.error) throw new ConfigError(`cannot run git: ${r.error.message}`, cwd, undefined, 'Install git, or use a baseline file instead of --since.');
  if (r.status !== 0) throw Object.assign(new Error(r.stderr.toString().trim()), { status: r.status });
  return r.stdout;
}

/**
 * The files of `root` as they are at `ref`, written from git objects into a fresh temp folder: the
 * user's work tree is never touched, and a shallow CI clone works once the ref has been fetched.
 * Returns the temp folder (the root's counterpart); the caller removes it.
 */
export function materializeRevision(root: string, ref: string): string {
  let top: string;
  let prefix: string;
  try {
    top = git(root, ['rev-parse', '--show-toplevel']).toString().trim();
    prefix = git(root, ['rev-parse', '--show-prefix']).toString().trim();
  } catch {
    throw new ConfigError('not inside a git repository', root, undefined, '--since needs git history; use a baseline file instead (`ssot baseline`).');
  }
  // A ref comes from the command line or a CI variable: one that starts with '-' would be read by git as
  // an option. It is resolved to a commit id once (after --end-of-options), and only the id is used.
  if (ref.startsWith('-') || /[\0-\x1f\x7f]/.test(ref)) throw new ConfigError(`"${ref.replace(/[\0-\x1f\x7f]/g, '?')}" is not a git ref`, root, '--since', 'Pass a branch, tag or commit, e.g. --since origin/main.');
  let commit: string;
  try {
    commit = git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).toString().trim();
  } catch {
    throw new ConfigError(`git ref "${ref}" not found`, root, '--since', `In a shallow clone, fetch it first: git fetch --depth=1 origin ${ref}`);
  }
  const listing = git(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix || '.']).toString();
  const blobs: { sha: string; rel: string }[] = [];
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [mode, type, sha] = line.slice(0, tab).split(' ');
    const file = line.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || !NEEDED.test(file)) continue;
    // A tree from another's history is written below the temp folder only: no '..', '.git' or absolute names.
    if (file.split('/').some((part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git') || file.includes('\\')) continue;
    blobs.push({ sha: sha!, rel: prefix ? file.slice(prefix.length) : file });
  }
  const out = mkdtempSync(path.join(tmpdir(), 'ssot-since-'));
  if (blobs.length === 0) return out;
  const batch = git(top, ['cat-file', '--batch'], `${blobs.map((b) => b.sha).join('\n')}\n`);
  let offset = 0;
  for (const blob of blobs) {
    const newline = batch.indexOf(10, offset);
    const header = batch.subarray(offset, newline).toString().split(' ');
    const size = Number(header[2]);
    const body = batch.subarray(newline + 1, newline + 1 + size);
    offset = newline + 1 + size + 1;
    if (header[1] !== 'blob') continue;
    const target = path.join(out, blob.rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, body);
  }
  return out;
}

/**
 * A revision's tree laid out for a scan with today's config: taken from the config's folder when the
 * config sits above the root (so the paths it holds mean the same), with the config copied to its
 * place in the tree; a config elsewhere (an explicit --config) is used where it is.
 */
export function revisionLayout(root: string, ref: string, configFile: string | undefined): { tree: string; root: string; config?: string } {
  const configDir = configFile === undefined ? undefined : path.dirname(configFile);
  const base = configDir !== undefined && isWithin(configDir, root) ? configDir : root;
  const tree = materializeRevision(base, ref);
  const scanRoot = path.join(tree, path.relative(base, root));
  mkdirSync(scanRoot, { recursive: true }); // a folder that did not exist at the revision has nothing in it
  if (configFile === undefined) return { tree, root: scanRoot };
  if (!isWithin(base, configFile)) return { tree, root: scanRoot, config: configFile };
  const copy = path.join(tree, path.relative(base, configFile));
  mkdirSync(path.dirname(copy), { recursive: true });
  writeFileSync(copy, readFileSync(configFile));
  return { tree, root: scanRoot, config: copy };
}
