import type { SkipWhy } from './fix-types.js';

/** The sentence `ssot fix` prints for a skip; the exit code never reads it (it reads `kind`). */
export function skipReason(why: SkipWhy): string {
  switch (why.kind) {
    case 'unparseable':
      return 'the file does not parse; it is never rewritten';
    case 'not-utf8':
      return 'not rewritten: the file is not valid UTF-8, and writing it back would change its other bytes';
    case 'transform-threw':
      return `${why.transform} failed (${why.error}); the file is left untouched`;
    case 'transform-reported':
      return `${why.transform}: ${why.reports.join('; ')}`;
    case 'output-unparseable':
      return `${why.transform} produced output that does not parse (${why.error}, line ${why.line}); the file is left untouched`;
    case 'api-gap': {
      const names = why.names.map((n) => `\`${n}\``).join(', ');
      return `${why.transform} would import ${names} from the SSOT ${why.ssot}, which does not export ${why.names.length === 1 ? 'it' : 'them'}; the file is left on the legacy module (manual migration needed)`;
    }
    case 'no-constructions':
      return `no group has a \`constructions\` mapping: add one to say how ${why.construction ?? 'this construction'} becomes an SSOT factory call`;
    case 'legacy-package':
      return `legacy module ${why.module} is a package: rewrite its imports once its replacement is published`;
    case 'unread-importer':
      return `kept: ${why.importer} ${why.notAnalysed ? 'was not analysed' : 'does not parse'} and may still import it`;
    case 'never-imported':
      return 'kept: no file imported it before this run, and its default export or its package.json says it is an entry point something loads by name (a config file, a page, a package export); delete it by hand if it is dead code';
    case 'outside-root':
      return 'not written: its real path is outside the scanned root (a symbolic link leads out)';
    case 'cross-package':
      return `left on the legacy module: the SSOT is in workspace package ${why.ssotPackage}, and no file imports it by that package's name (a relative path into another package breaks its build); export it from ${why.ssotPackage} and import it by name (manual migration needed)`;
  }
}
