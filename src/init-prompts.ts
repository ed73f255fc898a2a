import { confirm, select } from '@inquirer/prompts';
import type { InitResult, LeftOut, ProposedGroup } from './init-api.js';

/** What a proposal would create, as init prints it and the prompt shows it. */
function impact(p: ProposedGroup): string {
  return p.impact ? `${p.impact.findings} finding(s), ${p.impact.legacyModules} legacy module(s)` : 'not measured';
}

/** Interactive choice for `ssot init` on a terminal: keep the proposal, knowing what it creates? which member is the SSOT? */
export async function choose(proposal: ProposedGroup): Promise<ProposedGroup | undefined> {
  const members = proposal.members.map((m) => `${m.name} (${m.file})`).join('\n  ');
  const keep = await confirm({
    message: `Group "${proposal.name}" (${proposal.kind}, confidence ${proposal.confidence.toFixed(2)}) with:\n  ${members}\nIts config would create ${impact(proposal)}. Add it to ssot.config.json?`,
    default: true,
  });
  if (!keep) return undefined;
  const choices = [...new Map(proposal.members.map((m) => [`${m.file}#${m.name}`, m])).values()];
  const picked = await select({
    message: `Which one is the single source of truth? (suggested: ${proposal.ssot.export}, ${proposal.why})`,
    default: `${proposal.ssot.module}#${proposal.ssot.export}`,
    choices: choices.map((m) => ({ name: `${m.name}  ${m.file}  (${m.moduleConsumers} importing files)`, value: `${m.file}#${m.name}` })),
  });
  const at = picked.lastIndexOf('#');
  const module = picked.slice(0, at);
  return { ...proposal, ssot: { module, export: picked.slice(at + 1) }, why: 'chosen', legacy: [...new Set([...proposal.legacy, proposal.ssot.module])].filter((f) => f !== module).sort() };
}

function leftOut(title: string, list: LeftOut[]): string {
  return list.length ? `${title}:\n${list.map((l) => `  ${l.name}: ${l.reason}\n    ${l.members.join(', ')}\n`).join('')}` : '';
}

/** `ssot init`'s report: groups written with what they create, then refused, families and skipped ones. */
export function formatInit(result: InitResult, file: string): string {
  const groups = result.groups.map(
    (g) =>
      `group ${g.name} (${g.kind}, confidence ${g.confidence.toFixed(2)}): SSOT ${g.ssot.export} (${g.ssot.module}; ${g.why})\n` +
      `  role: ${g.role.join(', ')}\n  members: ${g.members.map((m) => `${m.name} (${m.file})`).join(', ')}\n  legacy: ${g.legacy.join(', ') || 'none'}\n  creates: ${impact(g)}\n`,
  );
  return [
    ...groups,
    leftOut('refused (over the limits; add by hand or run without --yes)', result.refused),
    leftOut('families (for information: siblings of one contract, never proposed)', result.families),
    leftOut('not proposed', result.skipped),
    `${result.groups.length ? '' : 'no competing implementations found; '}wrote ${file}\n`,
  ].join('');
}
