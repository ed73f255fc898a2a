import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stagedLayout } from './git-tree.js';
import { findConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import type { ScanOptions } from '../prepare.js';

/**
 * `--staged` for a pre-commit hook (issue 19, item 10): the options that scan what `git add` staged, the
 * index's content, not the work tree's. The staged tree is kept in `<cache>/staged-tree` and scanned with
 * its own cache, `<cache>/staged`: files whose staged content did not change since the last run keep
 * their stat entries and facts, so only staged edits are read and parsed again.
 */
export function stagedScanOptions(options: ScanOptions): { options: ScanOptions; staged: string[]; baseline?: string } {
  const root = path.resolve(options.root);
  // Only where the config is: the scan loads and checks the staged copy, once.
  const configFile = typeof options.config === 'object' ? options.config.file : typeof options.config === 'string' ? path.resolve(options.config) : options.config === false ? undefined : findConfig(root);
  if (typeof options.config === 'string' && !existsSync(configFile!)) throw new ConfigError('config file not found', options.config, undefined, 'Check the --config path, or run `ssot init` to write one.');
  const cacheDir = options.cache === false ? undefined : (options.cache ?? path.join(root, '.ssot-cache'));
  const out = cacheDir ? path.join(cacheDir, 'staged-tree') : mkdtempSync(path.join(tmpdir(), 'ssot-staged-'));
  const layout = stagedLayout(root, configFile, out);
  // The baseline the commit will hold, or the work tree's when git does not track it.
  const staged = path.join(layout.root, '.ssot-baseline.json');
  const baseline = existsSync(staged) ? staged : path.join(root, '.ssot-baseline.json');
  return {
    options: { ...options, root: layout.root, config: layout.config ?? false, cache: cacheDir ? path.join(cacheDir, 'staged') : false },
    staged: layout.staged,
    baseline,
  };
}
