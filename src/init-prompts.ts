import { confirm, select } from '@inquirer/prompts';
import { impact } from './format-init.js';
import type { ProposedGroup } from './init-api.js';

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
