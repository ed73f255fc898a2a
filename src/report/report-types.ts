import type { ScanResult } from '../scan-result.js';

export interface ReportOptions {
  /** Colours (text format only). */
  color: boolean;
  /** Extra lines to print after the summary (e.g. baseline notes from `check`). */
  notes?: string[];
  /**
   * github and sarif: paths as the CI system reads them, relative to `base` (an absolute folder: the
   * repository's top by default, `--path-base` to change it); `prefix` is the scanned root seen from
   * there, POSIX, '' or ending in '/' (issue 19: annotations of `ssot scan legacy-app` landed on no file).
   * Without it, paths stay relative to the scanned root.
   */
  paths?: { base: string; prefix: string };
}

/** A reporter turns a result into the text a user reads; it never prints or writes. */
export type Reporter = (result: ScanResult, options: ReportOptions) => string;
