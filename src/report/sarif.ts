import { pathToFileURL } from 'node:url';
import { rules } from '../rules/index.js';
import type { Severity } from '../types.js';
import type { Reporter } from './report-types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). `partialFingerprints`
 * carries the position-independent fingerprint so code scanning deduplicates across runs; URIs are
 * POSIX paths relative to %SRCROOT%, which is `options.paths.base` (the repository's top: GitHub code
 * scanning reads relative URIs from there) or else the scanned root; regions are clamped to >= 1.
 * No helpUri: ssot-kit has no public site to point at; the rules are described in the package's docs/rules.md.
 */
const sarif: Reporter = (result, options) => {
  const prefix = options.paths?.prefix ?? '';
  const uri = (file: string): string => encodeURI(`${prefix}${file}`);
  const present = [...new Set(result.findings.map((f) => f.ruleId))].sort();
  const ruleMeta = present.map((id) => {
    const rule = rules.find((r) => r.id === id);
    return {
      id,
      name: id.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase()),
      shortDescription: { text: rule?.meta.description ?? id },
      defaultConfiguration: { level: LEVEL[rule?.meta.severity ?? 'warning'] },
    };
  });
  const index = new Map(present.map((id, i) => [id, i]));
  const clamp = (n: number): number => Math.max(1, n);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ssot-kit', version: result.tool.version, rules: ruleMeta } },
        // pathToFileURL: a drive letter and backslashes (Windows) and spaces make a valid file: URI.
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(options.paths?.base ?? result.root).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        // Which ssot.config.json steered the run (relative to the root), or null: none, groups were discovered.
        properties: { config: result.config ?? null },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId)!,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(f.file), uriBaseId: 'SRCROOT' },
                region: { startLine: clamp(f.line), startColumn: clamp(f.column), endLine: clamp(f.endLine), endColumn: clamp(f.endColumn) },
              },
            },
          ],
          partialFingerprints: { 'ssotFingerprint/v1': f.fingerprint },
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: uri(r.file), uriBaseId: 'SRCROOT' }, region: { startLine: clamp(r.line), startColumn: clamp(r.column) } },
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

export default sarif;
