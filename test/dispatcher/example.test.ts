import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The README's example, run as a user would: two users at once through the bridge. */
describe('examples/chat-two-users.mjs', () => {
  it('each user sees the five events of its own runs, in order, exactly once, and none of the other', () => {
    const r = spawnSync(process.execPath, ['examples/chat-two-users.mjs'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'alice: 10 events in 2 runs, types agent_started agent_thinking tool_executing tool_completed agent_completed, foreign 0\n' +
        'bob: 10 events in 2 runs, types agent_started agent_thinking tool_executing tool_completed agent_completed, foreign 0\n' +
        'runs: success, success, success, success\n',
    );
  });
});
