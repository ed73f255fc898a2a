import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stagedLayout } from './git-tree.js';
import { loadConfig } from '../config/load-config.js';
import type { ScanOptions } from '../scan-api.js';

/**
 * `--staged` for a pre-commit hook (issue 19, item 10): the options that scan what `git add` staged, the
 * index's content, not the work tree's. The staged tree is kept in `<cache>/staged-tree` and scanned with
 * its own cache, `<cache>/staged`: files whose staged content did not change since the last run keep
 * their stat entries and facts, so only staged edits are read and parsed again.
 */
export function stagedScanOptions(options: ScanOptions): { options: ScanOptions; staged: string[]; baseline?: string } {
  const root = path.resolve(options.root);
  const config = loadConfig({ root, ...(typeof options.config === 'string' ? { configPath: options.config } : {}), ...(options.config === false ? { ignoreConfig: true } : {}) });
  const cacheDir = options.cache === false ? undefined : (options.cache ?? path.join(root, '.ssot-cache'));
  const out = cacheDir ? path.join(cacheDir, 'staged-tree') : mkdtempSync(path.join(tmpdir(), 'ssot-staged-'));
  const layout = stagedLayout(root, options.config === false ? undefined : config.file, out);
  // The baseline the commit will hold, or the work tree's when git does not track it.
  const staged = path.join(layout.root, '.ssot-baseline.json');
  const baseline = existsSync(staged) ? staged : path.join(root, '.ssot-baseline.json');
  return {
    options: { ...options, root: layout.root, config: layout.config ?? false, cache: cacheDir ? path.join(cacheDir, 'staged') : false },
    staged: layout.staged,
    baseline,
  };
}
