import type { ScanResult } from '../scan-result.js';

export interface ReportOptions {
  /** Colours (text format only). */
  color: boolean;
  /** Extra lines to print after the summary (e.g. baseline notes from `check`). */
  notes?: string[];
}

/** A reporter turns a result into the text a user reads; it never prints or writes. */
export type Reporter = (result: ScanResult, options: ReportOptions) => string;
