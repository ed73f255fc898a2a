/** Types of `ssot status`, apart from its implementation so results and reporters can carry them. */

/** The seed's phases, in order: consolidate factories, move consumers, put facades in place, delete legacy code. */
export type Phase = 'factories' | 'consumers' | 'facades' | 'cleanup' | 'done';

export interface GroupStatus {
  group: string;
  /** Files consuming an SSOT implementation (its module's exports count). */
  onSsot: number;
  /** Files outside `allow` importing a legacy module directly. */
  onLegacy: number;
  /** Competing factories left, and constructions or calls that bypass the SSOT factory. */
  competingFactories: number;
  factoryBypasses: number;
  /** Legacy modules that still declare an implementation, ones that only forward (facades), ones gone. */
  legacyModules: number;
  facades: number;
  removed: number;
  /** Names consumers import from a legacy module that the SSOT does not export (`ssot-api-gap` findings): what `ssot fix` cannot move. */
  apiGaps: number;
  phase: Phase;
}

export interface StatusResult {
  groups: GroupStatus[];
  /** Oldest first, when `history` was asked for. */
  history?: { commit: string; date: string; groups: GroupStatus[] }[];
}
