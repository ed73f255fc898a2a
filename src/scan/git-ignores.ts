import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The ignore files git applies to a folder besides the .gitignore files inside it (issue 16): the
 * user's global excludes file (`core.excludesFile`, default `$XDG_CONFIG_HOME/git/ignore`), the
 * repository's `info/exclude`, and every .gitignore from the work tree's top down to the folder's
 * parent. Lowest precedence first, as git orders them.
 */
export interface OuterIgnores {
  /** The work tree's top, or undefined outside a git repository (then only the folder's own .gitignore files apply). */
  top?: string;
  /** The scanned folder relative to the top, POSIX ('' when it is the top). */
  prefix: string;
  /** Ignore files that exist, each with the top-relative folder its patterns are relative to. */
  files: { abs: string; dirTop: string }[];
  /** Every path looked at, present or not: a listing cache is valid while none of them changes. */
  watched: string[];
}

/** Finds the work tree that holds `root` (a `.git` folder or file upward) and the ignore files above it. */
export function outerIgnores(root: string): OuterIgnores {
  let top: string | undefined;
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (isPresent(path.join(dir, '.git'))) {
      top = dir;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  if (!top) return { prefix: '', files: [], watched: [] };
  const prefix = path.relative(top, root).split(path.sep).join('/');
  const gitDir = gitDirOf(top);
  const candidates: { abs: string; dirTop: string }[] = [];
  const excludesFile = globalExcludesFile(gitDir);
  if (excludesFile) candidates.push({ abs: excludesFile, dirTop: '' });
  if (gitDir) candidates.push({ abs: path.join(commonDirOf(gitDir), 'info', 'exclude'), dirTop: '' });
  const segments = prefix ? prefix.split('/') : [];
  for (let i = 0; i < segments.length; i++) {
    const dirTop = segments.slice(0, i).join('/');
    candidates.push({ abs: path.join(top, dirTop, '.gitignore'), dirTop });
  }
  return { top, prefix, files: candidates.filter((c) => isFile(c.abs)), watched: candidates.map((c) => c.abs) };
}

function isPresent(abs: string): boolean {
  try {
    statSync(abs);
    return true;
  } catch {
    return false;
  }
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** `.git` is a folder, or in a linked work tree or submodule a file `gitdir: <path>`. */
function gitDirOf(top: string): string | undefined {
  const dotGit = path.join(top, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    return m ? path.resolve(top, m[1]!) : undefined;
  } catch {
    return undefined;
  }
}

/** A linked work tree keeps `info/exclude` in the main repository's folder (`commondir`). */
function commonDirOf(gitDir: string): string {
  try {
    return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

/**
 * `core.excludesFile` from the global and the repository's config (the last one set wins, as in git),
 * else `$XDG_CONFIG_HOME/git/ignore`. Read directly, not with `git config` (a process per scan): the
 * `[include]` and `[includeIf]` sections are not followed.
 */
function globalExcludesFile(gitDir: string | undefined): string | undefined {
  const home = homedir();
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  let value: string | undefined;
  for (const config of [path.join(xdg, 'git', 'config'), path.join(home, '.gitconfig'), ...(gitDir ? [path.join(commonDirOf(gitDir), 'config')] : [])]) {
    value = excludesFileIn(config) ?? value;
  }
  if (value === undefined) return path.join(xdg, 'git', 'ignore');
  if (value === '~' || value.startsWith('~/')) return path.join(home, value.slice(1));
  return path.isAbsolute(value) ? value : undefined;
}

function excludesFileIn(configFile: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return undefined;
  }
  let inCore = false;
  let value: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (section) inCore = section[1]!.toLowerCase() === 'core';
    const entry = inCore && /^(?:\[[^\]]*\]\s*)?excludesfile\s*=\s*(.*)$/i.exec(line);
    if (entry) value = unquote(entry[1]!);
  }
  return value;
}

function unquote(value: string): string {
  const v = value.replace(/\s+[#;].*$/, '').trim();
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}
