import { customRoleSchema, memberSchema } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

describe('mission roles and mission members against a real server', () => {
  const cli = useCliAgainstRealServer('roles');
  const { run } = cli;

  it('creates a custom role, gives it to a member by email, and refuses to delete it while it is held', async () => {
    const person = await cli.server.addMember({ email: 'tri@example.com', name: 'Tri Age', role: 'member' });
    const created = await run(['roles', 'create', 'Triage', '--base', 'member', '--permissions', 'tasks.read, tasks.write', '--json']);
    expect(created.stderr).toBe('');
    const role = customRoleSchema.parse(JSON.parse(created.stdout));
    expect(role).toMatchObject({ name: 'Triage', baseRole: 'member', permissions: ['tasks.read', 'tasks.write'] });

    const given = await run(['members', 'role', 'TRI@example.com', 'triage']);
    expect(given.stdout).toBe('Tri Age is now Triage (narrowing member).\n');
    const listed = await run(['members', 'ls', '--json']);
    const members = memberSchema.array().parse(JSON.parse(listed.stdout));
    expect(members.find((member) => member.user.id === person.id)?.customRole).toEqual({ id: role.id, name: 'Triage' });

    const held = await run(['roles', 'delete', 'Triage']);
    expect(held.code).not.toBe(0);
    expect(held.stderr).toContain('ROLE_IN_USE');
    expect((await run(['members', 'role', person.id, 'viewer'])).stdout).toBe('Tri Age is now viewer.\n');
    expect((await run(['roles', 'delete', 'triage'])).stdout).toBe('Deleted Triage.\n');

    const unknown = await run(['members', 'role', 'tri@example.com', 'Wizard']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('No built-in or custom role named "Wizard"');
    // Several CLI processes one after another: each start takes seconds on a loaded machine.
  }, 120_000);
});
