import { organizationSchema, teamSchema } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission organizations and mission teams against a real server', () => {
  const cli = useCliAgainstRealServer('organizations');
  const { run } = cli;

  it('sets limits and sign-in rules, and gives a team a role on a workspace', async () => {
    const person = await cli.server.addMember({ email: 'orla@example.com', name: 'Orla' });
    const set = await run(['organizations', 'set', '--max-agents', '5', '--requests-per-minute', '900', '--json']);
    expect(set.stderr).toBe('');
    const organization = organizationSchema.parse(JSON.parse(set.stdout));
    expect(organization.limits).toMatchObject({ maxAgents: 5, requestsPerMinute: 900, maxWorkspaces: null });
    const shown = await run(['organizations', 'show']);
    expect(shown.stdout).toContain('agents:               0 of 5');
    expect((await run(['organizations', 'set', '--max-agents', 'none', '--json'])).stdout).toContain('"maxAgents":null');
    const bad = await run(['organizations', 'set', '--max-agents', 'lots']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--max-agents takes a whole number or "none"');

    expect((await run(['teams', 'create', 'Platform'])).stdout).toBe('Created team Platform.\n');
    const added = await run(['teams', 'add', 'platform', '--person', 'ORLA@example.com']);
    expect(added.stderr).toBe('');
    expect(added.stdout).toBe('Orla joined Platform.\n');
    expect((await run(['teams', 'grant', 'Platform', 'default', '--role', 'admin'])).stdout).toBe(
      'Platform is now admin of Default workspace.\n',
    );
    const listed = await run(['teams', 'ls', '--json']);
    const [team] = teamSchema.array().parse(JSON.parse(listed.stdout));
    expect(team?.members.map((member) => member.id)).toEqual([person.id]);
    expect(team?.workspaces.map((access) => access.role)).toEqual(['admin']);
    expect((await run(['teams', 'revoke', 'Platform', 'default'])).stdout).toBe('Platform no longer has a role on default.\n');
    expect((await run(['teams', 'delete', 'Platform'])).stdout).toBe('Deleted team Platform.\n');
    // Several CLI processes one after another: each start takes seconds on a loaded machine.
  }, 120_000);
});
