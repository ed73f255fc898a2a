import type { ModuleRef } from '../types.js';

/** A human name for the syntactic form of a module reference, as the README's rule docs list them. */
export function refForm(ref: ModuleRef): string {
  switch (ref.kind) {
    case 'import': {
      if (ref.names.length === 0) return 'import';
      if (ref.names.some((n) => n.imported === '*')) return ref.typeOnly ? 'type namespace import' : 'namespace import';
      if (ref.names.every((n) => n.imported === 'default')) return ref.typeOnly ? 'type default import' : 'default import';
      const aliased = ref.names.some((n) => n.imported !== n.local && n.imported !== 'default');
      if (ref.typeOnly) return aliased ? 'aliased type import' : 'type import';
      if (ref.names.some((n) => n.typeOnly)) return 'import with inline type specifier';
      return aliased ? 'aliased import' : 'named import';
    }
    case 'side-effect': return 'side-effect import';
    case 'export-from': return 'export … from';
    case 'export-star': return 'export * from';
    case 'export-star-as': return 'export * as … from';
    case 'dynamic-import': return 'dynamic import()';
    case 'require': return 'require()';
    case 'import-equals': return 'import = require()';
    case 'typeof-import': return 'import() type';
    case 'jsdoc-import': return 'JSDoc import() type';
    case 'mock': return 'test mock';
    case 'require-resolve': return 'require.resolve()';
  }
}

/** The names a reference takes, sorted, for fingerprints (`*` for whole-module forms). */
export function refNames(ref: ModuleRef): string {
  return ref.names.length ? ref.names.map((n) => (n.imported === n.local ? n.imported : `${n.imported}:${n.local}`)).sort().join(',') : '*';
}
