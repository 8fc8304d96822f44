import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { OrganizationService } from './organization.service.js';
import type { OrganizationMemberService } from './organization-member.service.js';
import type { OrganizationSsoService } from './organization-sso.service.js';
import type { TeamService } from './team.service.js';

export async function organizationRoutes(
  app: FastifyInstance,
  {
    organizations,
    organizationMembers,
    organizationSso,
    teams,
  }: {
    organizations: OrganizationService;
    organizationMembers: OrganizationMemberService;
    organizationSso: OrganizationSsoService;
    teams: TeamService;
  },
): Promise<void> {
  registerEndpoint(app, endpoints.listOrganizations, async (request) => ({
    data: await organizations.listOrganizations(request.principal),
  }));
  registerEndpoint(app, endpoints.createOrganization, async (request) => organizations.createOrganization(request.principal, request.body));
  registerEndpoint(app, endpoints.getOrganization, async (request) => organizations.getOrganization(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateOrganization, async (request) =>
    organizations.updateOrganization(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listOrganizationMembers, async (request) => ({
    data: await organizationMembers.listMembers(request.principal, request.params.id),
  }));
  registerEndpoint(app, endpoints.updateOrganizationMember, async (request) =>
    organizationMembers.updateMember(request.principal, request.params.id, request.params.userId, request.body),
  );
  registerEndpoint(app, endpoints.configureOrganizationSso, async (request) =>
    organizationSso.configure(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.removeOrganizationSso, async (request) => organizationSso.remove(request.principal, request.params.id));
  registerEndpoint(app, endpoints.listTeams, async (request) => ({ data: await teams.listTeams(request.principal, request.params.id) }));
  registerEndpoint(app, endpoints.createTeam, async (request) => teams.createTeam(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.getTeam, async (request) => teams.getTeam(request.principal, request.params.id, request.params.teamId));
  registerEndpoint(app, endpoints.updateTeam, async (request) =>
    teams.updateTeam(request.principal, request.params.id, request.params.teamId, request.body),
  );
  registerEndpoint(app, endpoints.deleteTeam, async (request) =>
    teams.deleteTeam(request.principal, request.params.id, request.params.teamId),
  );
  registerEndpoint(app, endpoints.addTeamMember, async (request) =>
    teams.addMember(request.principal, request.params.id, request.params.teamId, request.body),
  );
  registerEndpoint(app, endpoints.removeTeamMember, async (request) =>
    teams.removeMember(request.principal, request.params.id, request.params.teamId, {
      kind: request.params.kind,
      id: request.params.memberId,
    }),
  );
  registerEndpoint(app, endpoints.grantTeamAccess, async (request) =>
    teams.grantAccess(request.principal, request.params.id, request.params.teamId, request.params.workspaceId, request.body),
  );
  registerEndpoint(app, endpoints.revokeTeamAccess, async (request) =>
    teams.revokeAccess(request.principal, request.params.id, request.params.teamId, request.params.workspaceId),
  );
}
