import type { ResolvedConfig } from '../config/load-config.js';

/** A member as the config's `dismissed` list writes it: root-relative file, `#`, declared name. */
export function memberKey(member: { file: string; name: string }): string {
  return `${member.file}#${member.name}`;
}

/**
 * Whether a person dismissed this candidate group: every member is in one `dismissed` set of the config
 * (issue 18, item 6). A group that gains a member outside the set is proposed again: that is news.
 * Discovery filters its groups with it, and `ssot init` its proposals.
 */
export function isDismissed(group: { implementations: readonly { file: string; name: string }[] }, config: Pick<ResolvedConfig, 'dismissed'>): boolean {
  if (!config.dismissed?.length || group.implementations.length === 0) return false;
  const keys = group.implementations.map(memberKey);
  return config.dismissed.some((d) => {
    const set = new Set(d.members);
    return keys.every((k) => set.has(k));
  });
}
