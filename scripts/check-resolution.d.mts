/** Types of check-resolution.mjs, for the tests that import it. */
export interface ResolutionDifference {
  file: string;
  line: number;
  specifier: string;
  project: string;
  ours: string;
  tsc: string;
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
  options?: { linkWorkspaces?: boolean; limit?: number },
): Promise<ResolutionComparison>;
