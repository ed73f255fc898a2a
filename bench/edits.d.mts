/** Types of edits.mjs, for the test that applies each edit kind of the bench. */
export function siblingOf(file: string): string;
export function projectCallPrefix(file: string): string | undefined;
export const NEW_CLASS_PREFIX: string;
export function cycleImportPrefix(file: string, files: readonly string[]): string | undefined;
export function implementationImportPrefix(file: string, root: string, result: { groups?: { implementations: { file: string; name: string }[] }[] }): string | undefined;
