import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The git work tree's top and `root`'s path below it; outside git, a ConfigError naming the option and what to do. */
function workTreeOf(root: string, option: string | undefined, hint: string): { top: string; prefix: string } {
  try {
    return { top: git(root, ['rev-parse', '--show-toplevel']).toString().trim(), prefix: git(root, ['rev-parse', '--show-prefix']).toString().trim() };
  } catch {
    throw new ConfigError('not inside a git repository', root, option, hint);
  }
}

/**
 * The files of `root` as they are at `ref`, written from git objects into a fresh temp folder: the
 * user's work tree is never touched, and a shallow CI clone works once the ref has been fetched.
 * Returns the temp folder (the root's counterpart); the caller removes it.
 */
export function materializeRevision(root: string, ref: string): string {
  const { top, prefix } = workTreeOf(root, undefined, '--since needs git history; use a baseline file instead (`ssot baseline`).');
  // A ref comes from the command line or a CI variable: one that starts with '-' would be read by git as
  // an option. It is resolved to a commit id once (after --end-of-options), and only the id is used.
  if (ref.startsWith('-') || /[\0-\x1f\x7f]/.test(ref)) throw new ConfigError(`"${ref.replace(/[\0-\x1f\x7f]/g, '?')}" is not a git ref`, root, '--since', 'Pass a branch, tag or commit, e.g. --since origin/main.');
  let commit: string;
  try {
    commit = git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).toString().trim();
  } catch {
    throw new ConfigError(`git ref "${ref}" not found`, root, '--since', `In a shallow clone, fetch it first: ${fetchCommand(top, ref)}`);
  }
  const listing = git(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix || '.']).toString();
  const blobs: Blob[] = [];
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [mode, type, sha] = line.slice(0, tab).split(' ');
    if (type === 'blob') addBlob(blobs, mode!, sha!, line.slice(tab + 1), prefix);
  }
  const out = mkdtempSync(path.join(tmpdir(), 'ssot-since-'));
  writeBlobs(top, blobs, out);
  return out;
}

interface Blob {
  sha: string;
  rel: string;
}

/** A needed file of the tree, below `prefix`, whose name is safe to write below a temp folder. */
function addBlob(blobs: Blob[], mode: string, sha: string, file: string, prefix: string): void {
  if (mode === '120000' || mode === '160000' || !NEEDED.test(file)) return;
  // A tree from another's history is written below the temp folder only: no '..', '.git' or absolute names.
  if (file.split('/').some((part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git') || file.includes('\\')) return;
  blobs.push({ sha, rel: prefix ? file.slice(prefix.length) : file });
}

/** Writes each blob's bytes to `out/<rel>`, all read by one `git cat-file --batch`. */
function writeBlobs(top: string, blobs: readonly Blob[], out: string): void {
  if (blobs.length === 0) return;
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
}

/**
 * `--staged` (issue 19, item 10): the files of `root` as the git index holds them, i.e. what the next
 * commit will contain, written into `out` from git objects, the work tree left alone. `out` is kept
 * between runs with a list of what it holds: a file whose staged content is unchanged is not rewritten,
 * so its size and mtime still match the scan cache's stat index and it is not read or parsed again.
 * Returns the staged files that differ from HEAD (added, copied, modified, renamed), relative to `root`.
 */
export function materializeIndex(root: string, out: string): { staged: string[] } {
  const { top, prefix } = workTreeOf(root, '--staged', '--staged scans what `git add` staged; without git, scan the folder.');
  const blobs: Blob[] = [];
  // `ls-files -s`: `<mode> <sha> <stage>\t<file>`; stage 0 only (a conflicted file has 1-3 and no 0 yet).
  for (const line of git(top, ['ls-files', '-s', '-z', '--full-name', '--', prefix || '.']).toString().split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [mode, sha, stage] = line.slice(0, tab).split(' ');
    if (stage === '0') addBlob(blobs, mode!, sha!, line.slice(tab + 1), prefix);
  }
  const listFile = path.join(out, '.ssot-staged.json');
  let previous: Record<string, string> = {};
  try {
    previous = JSON.parse(readFileSync(listFile, 'utf8')) as Record<string, string>;
  } catch {
    rmSync(out, { recursive: true, force: true }); // no list: whatever is there is unknown
  }
  mkdirSync(out, { recursive: true });
  const now = new Set(blobs.map((b) => b.rel));
  for (const rel of Object.keys(previous)) if (!now.has(rel)) rmSync(path.join(out, rel), { force: true });
  writeBlobs(top, blobs.filter((b) => previous[b.rel] !== b.sha || !existsSync(path.join(out, b.rel))), out);
  writeFileSync(listFile, JSON.stringify(Object.fromEntries(blobs.map((b) => [b.rel, b.sha]))));
  let staged: string[] = [];
  try {
    const names = git(top, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR', '--', prefix || '.']).toString().split('\0').filter(Boolean);
    staged = names.map((f) => (prefix ? f.slice(prefix.length) : f));
  } catch {
    /* no HEAD yet (first commit): every file is staged */
    staged = [...now];
  }
  return { staged };
}

/**
 * The fetch that makes `ref` exist: `origin/main` is branch `main` of remote `origin`, so `git fetch
 * --depth=1 origin main` (issue 19: the hint said `origin origin/main`, which git rejects); a ref not under
 * a remote's name is fetched from `origin` as it is.
 */
export function fetchCommand(top: string, ref: string): string {
  let remotes: string[] = [];
  try {
    remotes = git(top, ['remote']).toString().split('\n').filter(Boolean);
  } catch {
    /* no remotes to read: origin below */
  }
  const name = ref.replace(/^refs\/remotes\//, '');
  const remote = [...remotes, 'origin'].find((r) => name.startsWith(`${r}/`) && name.length > r.length + 1);
  return remote ? `git fetch --depth=1 ${remote} ${name.slice(remote.length + 1)}` : `git fetch --depth=1 origin ${ref}`;
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

/**
 * The staged tree laid out for a scan, as `revisionLayout` lays out a revision: from the config's folder
 * when the config sits above the root; the config is the staged one, or the work tree's when git does not
 * track it. `staged` is relative to `root`.
 */
export function stagedLayout(root: string, configFile: string | undefined, out: string): { root: string; config?: string; staged: string[] } {
  const configDir = configFile === undefined ? undefined : path.dirname(configFile);
  const base = configDir !== undefined && isWithin(configDir, root) ? configDir : root;
  const { staged } = materializeIndex(base, out);
  const sub = path.relative(base, root).split(path.sep).join('/');
  const scanRoot = path.join(out, sub);
  mkdirSync(scanRoot, { recursive: true });
  const underRoot = sub ? staged.filter((f) => f.startsWith(`${sub}/`)).map((f) => f.slice(sub.length + 1)) : staged;
  if (configFile === undefined) return { root: scanRoot, staged: underRoot };
  if (!isWithin(base, configFile)) return { root: scanRoot, config: configFile, staged: underRoot };
  const copy = path.join(out, path.relative(base, configFile));
  if (!existsSync(copy)) {
    mkdirSync(path.dirname(copy), { recursive: true });
    writeFileSync(copy, readFileSync(configFile));
  }
  return { root: scanRoot, config: copy, staged: underRoot };
}
