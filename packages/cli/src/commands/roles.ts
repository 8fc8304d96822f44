import { customRoleBaseSchema, workspaceRoleSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { choice, clientFor, globalOptions, splitList } from './shared.js';

/** A custom role by id or name (any case). */
async function resolveCustomRole(client: MissionControl, reference: string): Promise<{ id: string; name: string } | undefined> {
  const { data } = await client.roles.list();
  const wanted = reference.toLowerCase();
  return data.find((role) => role.id === reference || role.name.toLowerCase() === wanted);
}

/** A member by user id or email. */
async function resolveMemberId(client: MissionControl, reference: string): Promise<string> {
  const members = await client.members.list();
  const wanted = reference.toLowerCase();
  const member = members.find((candidate) => candidate.user.id === reference || candidate.user.email.toLowerCase() === wanted);
  if (!member) throw new UsageError(`No member with the id or email "${reference}". mission members ls lists them.`, 3);
  return member.user.id;
}

/** Registers `mission members ls|role` and `mission roles ls|create|update|delete`. */
export function registerRoleCommands(program: Command): void {
  const members = program.command('members').description('People in the workspace and their roles');

  members
    .command('ls')
    .description('List the members with their roles')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const list = await client.members.list();
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(list, [
        ['name', (member) => member.user.name],
        ['email', (member) => member.user.email],
        ['role', (member) => (member.customRole ? `${member.customRole.name} (${member.role})` : member.role)],
        ['joined', (member) => formatTime(member.joinedAt)],
      ]);
    });

  members
    .command('role <member> <role>')
    .description('Give a member (by email or id) a built-in role (owner, admin, member, viewer) or a custom role (by name or id)')
    .addHelpText('after', '\nExamples:\n  mission members role ada@example.com admin\n  mission members role ada@example.com Triage')
    .action(async (reference: string, role: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const userId = await resolveMemberId(client, reference);
      const builtIn = workspaceRoleSchema.safeParse(role.toLowerCase());
      let member: Awaited<ReturnType<typeof client.members.updateRole>>;
      if (builtIn.success) {
        member = await client.members.updateRole(userId, builtIn.data);
      } else {
        const custom = await resolveCustomRole(client, role);
        if (!custom) throw new UsageError(`No built-in or custom role named "${role}". mission roles ls lists them.`, 3);
        member = await client.members.giveCustomRole(userId, custom.id);
      }
      if (globalOptions(command).json) {
        printJson(member);
        return;
      }
      const shown = member.customRole ? `${member.customRole.name} (narrowing ${member.role})` : member.role;
      printLines(`${member.user.name} is now ${shown}.`);
    });

  const roles = program
    .command('roles')
    .description('Custom roles: a built-in role narrowed to a set of permissions (mission roles create …)')
    .addHelpText(
      'after',
      '\nExamples:\n  mission roles ls\n  mission roles create Triage --base member --permissions tasks.read,tasks.write,workspaces.read\n  mission roles update Triage --permissions tasks.read\n  mission roles delete Triage',
    );

  roles
    .command('ls')
    .description('List the built-in and custom roles')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const list = await client.roles.list();
      if (globalOptions(command).json) {
        printJson(list);
        return;
      }
      printTable(
        [
          ...list.builtIn.map((role) => ({ name: role.name, base: 'built-in', members: '', permissions: role.description })),
          ...list.data.map((role) => ({
            name: role.name,
            base: role.baseRole,
            members: String(role.memberCount),
            permissions: role.permissions.join(', '),
          })),
        ],
        [
          ['name', (role) => role.name],
          ['narrows', (role) => role.base],
          ['members', (role) => role.members],
          ['permissions', (role) => role.permissions],
        ],
      );
    });

  roles
    .command('create <name>')
    .description('Create a custom role')
    .requiredOption('--base <role>', `the built-in role it narrows (${customRoleBaseSchema.options.join(', ')})`)
    .requiredOption('--permissions <names>', 'comma-separated permission names (GET /api/v1/permissions lists them)')
    .option('--description <text>', 'what the role is for')
    .action(async (name: string, options: { base: string; permissions: string; description?: string }, command: Command) => {
      const client = await clientFor(command);
      const role = await client.roles.create({
        name,
        baseRole: choice('--base', options.base, customRoleBaseSchema.options),
        permissions: splitList(options.permissions) ?? [],
        ...(options.description ? { description: options.description } : {}),
      });
      if (globalOptions(command).json) {
        printJson(role);
        return;
      }
      printLines(`Created ${role.name}, narrowing ${role.baseRole} to ${role.permissions.join(', ')}.`);
    });

  roles
    .command('update <role>')
    .description('Rename a custom role (by name or id) or change its permissions or description')
    .option('--name <name>', 'a new name')
    .option('--permissions <names>', 'the new comma-separated permission names (replacing the old ones)')
    .option('--description <text>', 'a new description')
    .action(async (reference: string, options: { name?: string; permissions?: string; description?: string }, command: Command) => {
      const client = await clientFor(command);
      const existing = await resolveCustomRole(client, reference);
      if (!existing) throw new UsageError(`No custom role named "${reference}". mission roles ls lists them.`, 3);
      const role = await client.roles.update(existing.id, {
        ...(options.name ? { name: options.name } : {}),
        ...(options.permissions ? { permissions: splitList(options.permissions) } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
      });
      if (globalOptions(command).json) {
        printJson(role);
        return;
      }
      printLines(`${role.name} now allows ${role.permissions.join(', ')}.`);
    });

  roles
    .command('delete <role>')
    .description('Delete a custom role (by name or id) that nobody holds')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const existing = await resolveCustomRole(client, reference);
      if (!existing) throw new UsageError(`No custom role named "${reference}". mission roles ls lists them.`, 3);
      const role = await client.roles.delete(existing.id);
      if (globalOptions(command).json) {
        printJson(role);
        return;
      }
      printLines(`Deleted ${role.name}.`);
    });
}
