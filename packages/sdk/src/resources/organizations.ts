import { endpoints, type Organization, type OrganizationMember, type PrincipalKind, type Team } from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** Organisations (`/organizations`): who belongs, their limits and sign-in rules, and their teams. */
export class OrganizationsResource {
  private readonly context: ResourceContext;
  /** The teams of an organisation. */
  readonly teams: TeamsResource;

  /** Created by MissionControl; use `client.organizations`. */
  constructor(context: ResourceContext) {
    this.context = context;
    this.teams = new TeamsResource(context);
  }

  /** The organisations you belong to, with your role, their limits and this month's usage. */
  async list(): Promise<Organization[]> {
    return (await this.context.transport.call(endpoints.listOrganizations)).data;
  }

  /** Creates an organisation; you become its owner. */
  create(input: z.input<typeof endpoints.createOrganization.body>): Promise<Organization> {
    return this.context.transport.call(endpoints.createOrganization, { body: input });
  }

  /** One organisation. */
  get(organizationId: string): Promise<Organization> {
    return this.context.transport.call(endpoints.getOrganization, { params: { id: organizationId } });
  }

  /** Renames it, changes its limits (null removes one) or its sign-in rules; owners only. */
  update(organizationId: string, input: z.input<typeof endpoints.updateOrganization.body>): Promise<Organization> {
    return this.context.transport.call(endpoints.updateOrganization, { params: { id: organizationId }, body: input });
  }

  /** Sets up the organisation's own single sign-on provider (owners); the secret is never answered back. */
  configureSso(organizationId: string, input: z.input<typeof endpoints.configureOrganizationSso.body>): Promise<Organization> {
    return this.context.transport.call(endpoints.configureOrganizationSso, { params: { id: organizationId }, body: input });
  }

  /** Removes the organisation's own single sign-on provider (owners). */
  removeSso(organizationId: string): Promise<Organization> {
    return this.context.transport.call(endpoints.removeOrganizationSso, { params: { id: organizationId } });
  }

  /** Its people, with their organisation role and whether they have a second factor. */
  async members(organizationId: string): Promise<OrganizationMember[]> {
    return (await this.context.transport.call(endpoints.listOrganizationMembers, { params: { id: organizationId } })).data;
  }

  /** Gives someone an organisation role (owner, admin or member); owners only. */
  updateMember(organizationId: string, userId: string, role: OrganizationMember['role']): Promise<OrganizationMember> {
    return this.context.transport.call(endpoints.updateOrganizationMember, { params: { id: organizationId, userId }, body: { role } });
  }
}

/** Teams of an organisation (`/organizations/{id}/teams`): people and agents, and roles on workspaces. */
export class TeamsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.organizations.teams`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The organisation's teams, by name. */
  async list(organizationId: string): Promise<Team[]> {
    return (await this.context.transport.call(endpoints.listTeams, { params: { id: organizationId } })).data;
  }

  /** Creates a team; owners and admins of the organisation. */
  create(organizationId: string, input: z.input<typeof endpoints.createTeam.body>): Promise<Team> {
    return this.context.transport.call(endpoints.createTeam, { params: { id: organizationId }, body: input });
  }

  /** One team with its members and workspaces. */
  get(organizationId: string, teamId: string): Promise<Team> {
    return this.context.transport.call(endpoints.getTeam, { params: { id: organizationId, teamId } });
  }

  /** Renames a team or changes its description. */
  update(organizationId: string, teamId: string, input: z.input<typeof endpoints.updateTeam.body>): Promise<Team> {
    return this.context.transport.call(endpoints.updateTeam, { params: { id: organizationId, teamId }, body: input });
  }

  /** Deletes a team; what it gave its people is taken back. */
  delete(organizationId: string, teamId: string): Promise<Team> {
    return this.context.transport.call(endpoints.deleteTeam, { params: { id: organizationId, teamId } });
  }

  /** Adds a person of the organisation or an agent of one of its workspaces. */
  addMember(organizationId: string, teamId: string, member: { kind: PrincipalKind; id: string }): Promise<Team> {
    return this.context.transport.call(endpoints.addTeamMember, { params: { id: organizationId, teamId }, body: member });
  }

  /** Takes a person or an agent out of the team. */
  removeMember(organizationId: string, teamId: string, member: { kind: PrincipalKind; id: string }): Promise<Team> {
    return this.context.transport.call(endpoints.removeTeamMember, {
      params: { id: organizationId, teamId, kind: member.kind, memberId: member.id },
    });
  }

  /** Gives the team a role on a workspace: `{role}` (admin, member, viewer) or `{customRoleId}`. */
  grantWorkspace(
    organizationId: string,
    teamId: string,
    workspaceId: string,
    access: z.input<typeof endpoints.grantTeamAccess.body>,
  ): Promise<Team> {
    return this.context.transport.call(endpoints.grantTeamAccess, { params: { id: organizationId, teamId, workspaceId }, body: access });
  }

  /** Takes a workspace away from the team. */
  revokeWorkspace(organizationId: string, teamId: string, workspaceId: string): Promise<Team> {
    return this.context.transport.call(endpoints.revokeTeamAccess, { params: { id: organizationId, teamId, workspaceId } });
  }
}
