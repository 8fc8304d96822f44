import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission analytics and mission audit against a real server', () => {
  const cli = useCliAgainstRealServer('analytics');
  const { run } = cli;

  it('prints the overview and the audit trail, and refuses an unknown action with a usage error', async () => {
    const overview = await run(['analytics', 'overview', '--time-zone', 'Europe/Paris']);
    expect(overview.stderr).toBe('');
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/^Tasks: 0 \(inbox 0/);
    expect(overview.stdout).toContain('Today (Europe/Paris)');

    const listed = await run(['audit', 'ls', '--action', 'api-key.created', '--json']);
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['api-key.created']);

    const table = await run(['audit', 'ls']);
    expect(table.stdout.split('\n')[0]).toMatch(/^AT\s+ACTION\s+ACTOR\s+SUMMARY\s+IP/);

    const refused = await run(['audit', 'ls', '--action', 'nothing']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--action');
  });
});
