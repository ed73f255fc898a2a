/** Types of check-resolution.mjs, for the tests that import it. */
export interface ResolutionDifference {
  file: string;
  line: number;
  specifier: string;
  project: string;
  ours: string;
  tsc: string;
  /** Why they differ, for a difference that is understood. */
  reason?: string;
}

/** One side's resolution: an absolute file, an external package, or neither (unresolved). */
export interface ResolvedAs {
  file?: string;
  external?: string;
  installed?: boolean;
}

export interface ResolutionComparison {
  root: string;
  total: number;
  agree: number;
  kinds: Record<string, number>;
  differences: ResolutionDifference[];
}

export function compareResolutions(
  deps: { ts: unknown; scanProject: (options: { root: string; cache: false }) => Promise<unknown> },
  root: string,
  options?: {
    linkWorkspaces?: boolean;
    limit?: number;
    onReference?: (pair: { file: string; line: number; specifier: string; ours: ResolvedAs; tsc: ResolvedAs; agree: string | undefined }) => void;
  },
): Promise<ResolutionComparison>;
