import type { InitResult, LeftOut, ProposedGroup } from './init-api.js';

/** What a proposal would create, as init prints it and the prompt shows it. */
export function impact(p: ProposedGroup): string {
  return p.impact ? `${p.impact.findings} finding(s), ${p.impact.legacyModules} legacy module(s)` : 'not measured';
}

function leftOut(title: string, list: LeftOut[]): string {
  return list.length ? `${title}:\n${list.map((l) => `  ${l.name}: ${l.reason}\n    ${l.members.join(', ')}\n`).join('')}` : '';
}

/** `ssot init`'s report: groups written with what they create, then refused, families and skipped ones; `file` as it is named to the user. */
export function formatInit(result: InitResult, file: string): string {
  const groups = result.groups.map(
    (g) =>
      `group ${g.name} (${g.kind}, confidence ${g.confidence.toFixed(2)}): SSOT ${g.ssot.export} (${g.ssot.module}; ${g.why})\n` +
      `  role: ${g.role.join(', ')}\n  members: ${g.members.map((m) => `${m.name} (${m.file})`).join(', ')}\n  legacy: ${g.legacy.join(', ') || 'none'}\n` +
      (g.roleMatches ? `  also matching the role, not made legacy (another kind or package): ${g.roleMatches.map((m) => `${m.name} (${m.file})`).join(', ')}\n` : '') +
      `  creates: ${impact(g)}\n`,
  );
  return [
    ...groups,
    leftOut('refused (over the limits; add by hand or run without --yes)', result.refused),
    leftOut('families (for information: siblings of one contract, never proposed)', result.families),
    leftOut('not proposed', result.skipped),
    `${result.groups.length ? '' : 'no competing implementations found; '}wrote ${file}\n`,
  ].join('');
}
