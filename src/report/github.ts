import type { Reporter } from './report-types.js';

// Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
// Escaping follows @actions/core's toCommandValue/escapeData/escapeProperty.

/** Escape a command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a command property value (also `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** One `::error file=…,line=…,col=…,title=…::message` annotation per finding; `file` relative to `options.paths.base` when given. */
const github: Reporter = (result, options) =>
  result.findings
    .map((f) => {
      const props = [`file=${escapeProperty(`${options.paths?.prefix ?? ''}${f.file}`)}`, `line=${f.line}`, `col=${f.column}`, `endLine=${f.endLine}`, `endColumn=${f.endColumn}`, `title=${escapeProperty(`ssot ${f.ruleId}`)}`];
      return `::${LEVEL[f.severity]} ${props.join(',')}::${escapeData(f.message)}\n`;
    })
    .join('');

export default github;
