import type { PhaseEntry } from './phase-entry.js';
import { cleanup } from './phases/cleanup.js';
import { consumers } from './phases/consumers.js';
import { facades } from './phases/facades.js';
import { factories } from './phases/factories.js';

/**
 * The phases of `ssot fix`, in the seed's order (issue 17, item 7): factories, consumers, facades,
 * cleanup. Each runs on the plan the ones before it left; adding a transform is adding an entry here.
 */
export const PHASES: readonly PhaseEntry[] = [factories, consumers, facades, cleanup];
