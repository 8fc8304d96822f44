import { type Organization, type OrganizationLimits, organizationRoleSchema, teamWorkspaceRoleSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { printJson, printLines, printTable } from '../output.js';
import { choice, clientFor, globalOptions } from './shared.js';

/** The organisation named by --organization (slug, name or id), else the current workspace's. */
async function resolveOrganization(client: MissionControl, reference: string | undefined): Promise<Organization> {
  const organizations = await client.organizations.list();
  const wanted = reference?.toLowerCase() ?? (await client.workspaces.current()).organizationId;
  const found = organizations.find(
    (organization) => organization.id === wanted || organization.slug === wanted || organization.name.toLowerCase() === wanted,
  );
  if (!found)
    throw new UsageError(
      `No organisation "${reference ?? 'of this workspace'}" that you belong to. mission organizations ls lists them.`,
      3,
    );
  return found;
}

/** "none" removes a limit; a whole number sets it. */
function limitValue(name: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`${name} takes a whole number or "none"; got "${value}".`);
  return number;
}

function onOff(name: string, value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : choice(name, value, ['on', 'off'] as const) === 'on';
}

function describeLimit(value: number | null, used: number, unit = ''): string {
  return value === null
    ? `${used.toLocaleString('en')}${unit} (no limit)`
    : `${used.toLocaleString('en')}${unit} of ${value.toLocaleString('en')}${unit}`;
}

function printOrganization(organization: Organization): void {
  const { limits, usage } = organization;
  const dollars = (micro: number) => (micro / 1_000_000).toFixed(2);
  printLines(
    `${organization.name} (${organization.slug}), you are ${organization.role}`,
    `  workspaces:           ${describeLimit(limits.maxWorkspaces, usage.workspaces)}`,
    `  agents:               ${describeLimit(limits.maxAgents, usage.agents)}`,
    `  model tokens ${usage.period}: ${describeLimit(limits.monthlyTokenLimit, usage.monthTokens)}`,
    `  model cost ${usage.period}:   $${dollars(usage.monthCostMicroDollars)}${limits.monthlyCostLimitMicroDollars === null ? ' (no limit)' : ` of $${dollars(limits.monthlyCostLimitMicroDollars)}`}`,
    `  requests a minute:    ${limits.requestsPerMinute === null ? 'no limit' : limits.requestsPerMinute}`,
    `  password sign-in:     ${organization.passwordSignInDisabled ? 'off (single sign-on only)' : 'on'}`,
    `  second factor:        ${organization.mfaRequired ? 'required' : 'optional'}`,
  );
}

/** A team of the organisation by id or name (any case). */
async function resolveTeam(client: MissionControl, organizationId: string, reference: string) {
  const teams = await client.organizations.teams.list(organizationId);
  const wanted = reference.toLowerCase();
  const team = teams.find((candidate) => candidate.id === reference || candidate.name.toLowerCase() === wanted);
  if (!team) throw new UsageError(`No team "${reference}" in the organisation. mission teams ls lists them.`, 3);
  return team;
}

/** A person of the organisation by email or id, or an agent of the current workspace by name or id. */
async function resolveTeamMember(client: MissionControl, organizationId: string, options: { person?: string; agent?: string }) {
  if (options.person) {
    const wanted = options.person.toLowerCase();
    const person = (await client.organizations.members(organizationId)).find(
      (member) => member.userId === options.person || member.email.toLowerCase() === wanted,
    );
    if (!person) throw new UsageError(`No person "${options.person}" in the organisation.`, 3);
    return { kind: 'user' as const, id: person.userId, name: person.name };
  }
  if (options.agent) {
    const wanted = options.agent.toLowerCase();
    const agents = (await client.agents.list().page()).data;
    const agent = agents.find((candidate) => candidate.id === options.agent || candidate.name.toLowerCase() === wanted);
    if (!agent) throw new UsageError(`No agent "${options.agent}" in this workspace. mission agents ls lists them.`, 3);
    return { kind: 'agent' as const, id: agent.id, name: agent.name };
  }
  throw new UsageError('Name a person with --person <email> or an agent with --agent <name>.');
}

/** A workspace of the signed-in person by slug, name or id. */
async function resolveWorkspaceId(client: MissionControl, reference: string): Promise<string> {
  const wanted = reference.toLowerCase();
  const found = (await client.workspaces.list()).find(
    ({ workspace }) => workspace.id === reference || workspace.slug === wanted || workspace.name.toLowerCase() === wanted,
  );
  if (!found) throw new UsageError(`No workspace "${reference}" that you belong to.`, 3);
  return found.workspace.id;
}

/** Registers `mission organizations ls|show|set|members|member-role` and `mission teams …`. */
export function registerOrganizationCommands(program: Command): void {
  const organizations = program
    .command('organizations')
    .alias('orgs')
    .description('Organisations: their limits, sign-in rules and people')
    .addHelpText(
      'after',
      '\nExamples:\n  mission organizations show\n  mission organizations set --max-agents 20 --requests-per-minute 600 --require-mfa on\n  mission organizations set --monthly-tokens none',
    );

  organizations
    .command('ls')
    .description('List the organisations you belong to')
    .action(async (_options: unknown, command: Command) => {
      const list = await (await clientFor(command)).organizations.list();
      if (globalOptions(command).json) return printJson(list);
      printTable(list, [
        ['name', (organization) => organization.name],
        ['slug', (organization) => organization.slug],
        ['role', (organization) => organization.role],
        ['workspaces', (organization) => String(organization.usage.workspaces)],
        ['agents', (organization) => String(organization.usage.agents)],
      ]);
    });

  organizations
    .command('show')
    .description('Show an organisation’s limits, what it used this month, and its sign-in rules')
    .option('--organization <slug>', 'the organisation (slug, name or id); the current workspace’s when left out')
    .action(async (options: { organization?: string }, command: Command) => {
      const organization = await resolveOrganization(await clientFor(command), options.organization);
      if (globalOptions(command).json) return printJson(organization);
      printOrganization(organization);
    });

  organizations
    .command('set')
    .description('Change an organisation’s name, limits (a number, or "none") or sign-in rules; owners only')
    .option('--organization <slug>', 'the organisation (slug, name or id); the current workspace’s when left out')
    .option('--name <name>', 'a new name')
    .option('--max-agents <n>', 'most agents, all workspaces together')
    .option('--max-workspaces <n>', 'most workspaces')
    .option('--monthly-tokens <n>', 'most model tokens a month for built-in agents')
    .option('--monthly-cost-micro-dollars <n>', 'most model cost a month, in millionths of a dollar')
    .option('--requests-per-minute <n>', 'most API requests a minute, everyone together')
    .option('--password-sign-in <on|off>', 'off: members sign in with single sign-on only')
    .option('--require-mfa <on|off>', 'on: members must set up a second factor')
    .action(async (options: Record<string, string | undefined>, command: Command) => {
      const client = await clientFor(command);
      const organization = await resolveOrganization(client, options.organization);
      const limitOptions: [keyof OrganizationLimits, string][] = [
        ['maxAgents', 'maxAgents'],
        ['maxWorkspaces', 'maxWorkspaces'],
        ['monthlyTokenLimit', 'monthlyTokens'],
        ['monthlyCostLimitMicroDollars', 'monthlyCostMicroDollars'],
        ['requestsPerMinute', 'requestsPerMinute'],
      ];
      const limits = Object.fromEntries(
        limitOptions.flatMap(([field, option]) => {
          const value = limitValue(`--${option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`, options[option]);
          return value === undefined ? [] : [[field, value]];
        }),
      );
      const passwordSignIn = onOff('--password-sign-in', options.passwordSignIn);
      const requireMfa = onOff('--require-mfa', options.requireMfa);
      const change = {
        ...(options.name ? { name: options.name } : {}),
        ...(Object.keys(limits).length > 0 ? { limits } : {}),
        ...(passwordSignIn !== undefined ? { passwordSignInDisabled: !passwordSignIn } : {}),
        ...(requireMfa !== undefined ? { mfaRequired: requireMfa } : {}),
      };
      if (Object.keys(change).length === 0)
        throw new UsageError('Nothing to change: give --name, a limit, --password-sign-in or --require-mfa.');
      const updated = await client.organizations.update(organization.id, change);
      if (globalOptions(command).json) return printJson(updated);
      printOrganization(updated);
    });

  organizations
    .command('members')
    .description('List the organisation’s people with their organisation role')
    .option('--organization <slug>', 'the organisation (slug, name or id); the current workspace’s when left out')
    .action(async (options: { organization?: string }, command: Command) => {
      const client = await clientFor(command);
      const members = await client.organizations.members((await resolveOrganization(client, options.organization)).id);
      if (globalOptions(command).json) return printJson(members);
      printTable(members, [
        ['name', (member) => member.name],
        ['email', (member) => member.email],
        ['role', (member) => member.role],
        ['second factor', (member) => (member.mfaEnrolled ? 'yes' : 'no')],
      ]);
    });

  organizations
    .command('member-role <email> <role>')
    .description(`Give someone an organisation role (${organizationRoleSchema.options.join(', ')}); owners only`)
    .option('--organization <slug>', 'the organisation (slug, name or id); the current workspace’s when left out')
    .action(async (email: string, role: string, options: { organization?: string }, command: Command) => {
      const client = await clientFor(command);
      const organization = await resolveOrganization(client, options.organization);
      const person = await resolveTeamMember(client, organization.id, { person: email });
      const member = await client.organizations.updateMember(
        organization.id,
        person.id,
        choice('<role>', role, organizationRoleSchema.options),
      );
      if (globalOptions(command).json) return printJson(member);
      printLines(`${member.name} is now ${member.role} of ${organization.name}.`);
    });

  registerTeamCommands(program);
}

function registerTeamCommands(program: Command): void {
  const teams = program
    .command('teams')
    .description('Teams of people and agents, given roles on workspaces')
    .option('--organization <slug>', 'the organisation (slug, name or id); the current workspace’s when left out')
    .addHelpText(
      'after',
      '\nExamples:\n  mission teams create Platform\n  mission teams add Platform --person ada@example.com\n  mission teams grant Platform research --role member\n  mission teams revoke Platform research',
    );
  const organizationOf = async (client: MissionControl, command: Command) =>
    resolveOrganization(client, (command.parent?.opts() as { organization?: string } | undefined)?.organization);

  teams
    .command('ls')
    .description('List the teams with their members and workspaces')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const list = await client.organizations.teams.list((await organizationOf(client, command)).id);
      if (globalOptions(command).json) return printJson(list);
      printTable(list, [
        ['name', (team) => team.name],
        ['members', (team) => team.members.map((member) => (member.kind === 'agent' ? `${member.name} (agent)` : member.name)).join(', ')],
        [
          'workspaces',
          (team) => team.workspaces.map((access) => `${access.workspaceName}: ${access.customRole?.name ?? access.role}`).join(', '),
        ],
      ]);
    });

  teams
    .command('create <name>')
    .description('Create a team; owners and admins of the organisation')
    .option('--description <text>', 'what the team does')
    .action(async (name: string, options: { description?: string }, command: Command) => {
      const client = await clientFor(command);
      const team = await client.organizations.teams.create((await organizationOf(client, command)).id, {
        name,
        ...(options.description ? { description: options.description } : {}),
      });
      if (globalOptions(command).json) return printJson(team);
      printLines(`Created team ${team.name}.`);
    });

  teams
    .command('delete <team>')
    .description('Delete a team; what it gave its people is taken back')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const organization = await organizationOf(client, command);
      const team = await client.organizations.teams.delete(organization.id, (await resolveTeam(client, organization.id, reference)).id);
      if (globalOptions(command).json) return printJson(team);
      printLines(`Deleted team ${team.name}.`);
    });

  for (const [verb, description] of [
    ['add', 'Add a person (--person <email>) or an agent (--agent <name>) to a team'],
    ['remove', 'Take a person (--person <email>) or an agent (--agent <name>) out of a team'],
  ] as const) {
    teams
      .command(`${verb} <team>`)
      .description(description)
      .option('--person <email>', 'a person of the organisation')
      .option('--agent <name>', 'an agent of this workspace')
      .action(async (reference: string, options: { person?: string; agent?: string }, command: Command) => {
        const client = await clientFor(command);
        const organization = await organizationOf(client, command);
        const team = await resolveTeam(client, organization.id, reference);
        const member = await resolveTeamMember(client, organization.id, options);
        const who = { kind: member.kind, id: member.id };
        const changed =
          verb === 'add'
            ? await client.organizations.teams.addMember(organization.id, team.id, who)
            : await client.organizations.teams.removeMember(organization.id, team.id, who);
        if (globalOptions(command).json) return printJson(changed);
        printLines(verb === 'add' ? `${member.name} joined ${team.name}.` : `${member.name} left ${team.name}.`);
      });
  }

  teams
    .command('grant <team> <workspace>')
    .description('Give a team a role on a workspace (by slug, name or id)')
    .requiredOption('--role <role>', `${teamWorkspaceRoleSchema.options.join(', ')}`)
    .action(async (reference: string, workspace: string, options: { role: string }, command: Command) => {
      const client = await clientFor(command);
      const organization = await organizationOf(client, command);
      const team = await resolveTeam(client, organization.id, reference);
      const workspaceId = await resolveWorkspaceId(client, workspace);
      const role = choice('--role', options.role, teamWorkspaceRoleSchema.options);
      const changed = await client.organizations.teams.grantWorkspace(organization.id, team.id, workspaceId, { role });
      if (globalOptions(command).json) return printJson(changed);
      const access = changed.workspaces.find((entry) => entry.workspaceId === workspaceId);
      printLines(`${team.name} is now ${role} of ${access?.workspaceName ?? workspace}.`);
    });

  teams
    .command('revoke <team> <workspace>')
    .description('Take a workspace (by slug, name or id) away from a team')
    .action(async (reference: string, workspace: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const organization = await organizationOf(client, command);
      const team = await resolveTeam(client, organization.id, reference);
      const changed = await client.organizations.teams.revokeWorkspace(
        organization.id,
        team.id,
        await resolveWorkspaceId(client, workspace),
      );
      if (globalOptions(command).json) return printJson(changed);
      printLines(`${team.name} no longer has a role on ${workspace}.`);
    });
}
