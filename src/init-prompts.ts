import { confirm, select } from '@inquirer/prompts';
import type { ProposedGroup } from './init-api.js';

/** Interactive choice for `ssot init` on a terminal: keep the proposal? which member is the SSOT? */
export async function choose(proposal: ProposedGroup): Promise<ProposedGroup | undefined> {
  const members = proposal.members.map((m) => `${m.name} (${m.file})`).join('\n  ');
  const keep = await confirm({ message: `Group "${proposal.name}" with:\n  ${members}\nAdd it to ssot.config.json?`, default: true });
  if (!keep) return undefined;
  const choices = [...new Map(proposal.members.map((m) => [`${m.file}#${m.name}`, m])).values()];
  const picked = await select({
    message: `Which one is the single source of truth? (suggested: ${proposal.ssot.export}, ${proposal.why})`,
    default: `${proposal.ssot.module}#${proposal.ssot.export}`,
    choices: choices.map((m) => ({ name: `${m.name}  ${m.file}  (${m.moduleConsumers} importing files)`, value: `${m.file}#${m.name}` })),
  });
  const [module, name] = picked.split('#') as [string, string];
  const legacy = [...new Set(proposal.members.filter((m) => m.file !== module).map((m) => m.file))].sort();
  return { ...proposal, ssot: { module, export: name }, why: 'chosen', legacy };
}
