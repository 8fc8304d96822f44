import {
  addTeamMemberSchema,
  createTeamSchema,
  grantTeamAccessSchema,
  type Organization,
  type OrganizationMember,
  type OrganizationRole,
  organizationSchema,
  type Team,
  updateOrganizationMemberSchema,
  updateOrganizationSchema,
  updateTeamSchema,
  type Workspace,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { testId, workspaceId } from './fixtures';
import type { RouteAnswer, RouteHandler } from './render-with-app';

const at = '2026-01-01T09:00:00.000Z';

export const organizationId = testId();

/** The test workspace, in the test organisation. */
export const testWorkspace: Workspace = {
  id: workspaceId,
  name: 'Acme',
  slug: 'acme',
  taskKeyPrefix: 'TASK',
  wipLimits: {},
  organizationId,
  createdAt: at,
};

export function makeOrganization(overrides: Partial<Organization> = {}): Organization {
  // Parsed, so the fixture follows the contract as it grows.
  return organizationSchema.parse({
    id: organizationId,
    name: 'Acme Group',
    slug: 'acme-group',
    role: 'owner',
    limits: {
      maxAgents: 10,
      maxWorkspaces: null,
      monthlyTokenLimit: 1_000_000,
      monthlyCostLimitMicroDollars: null,
      requestsPerMinute: null,
    },
    usage: { agents: 3, workspaces: 1, monthTokens: 12_400, monthCostMicroDollars: 1_250_000, period: '2026-01' },
    passwordSignInDisabled: false,
    mfaRequired: false,
    sso: null,
    createdAt: at,
    ...overrides,
  });
}

export function makeOrganizationMember(name: string, email: string, overrides: Partial<OrganizationMember> = {}): OrganizationMember {
  return { userId: testId(), name, email, role: 'member', mfaEnrolled: false, joinedAt: at, ...overrides };
}

const error = (status: number, code: string, message: string, details?: unknown): RouteAnswer => ({
  status,
  body: { error: { code, message, ...(details === undefined ? {} : { details }) } },
});

/** A 400 VALIDATION_FAILED the way the server words one: an issue per field, under body. */
function validationFailed(issues: z.core.$ZodIssue[]): RouteAnswer {
  const located = issues.map((issue) => ({ path: ['body', ...issue.path].join('.'), message: issue.message }));
  return error(400, 'VALIDATION_FAILED', 'Invalid body.', { issues: located });
}

/**
 * The organisation, its people and its teams over in-memory lists, with the server's rules: only
 * owners change the organisation (403), password sign-in cannot go off without single sign-on
 * (409 SSO_NOT_CONFIGURED), the last owner stays one (409 LAST_OWNER), team names are unique
 * (409 TEAM_NAME_TAKEN). Each new team adds its own routes to `routes`: pass it to renderWithApp.
 */
export function createFakeOrganizations(
  options: {
    organization?: Organization;
    members?: OrganizationMember[];
    teams?: Team[];
    workspaces?: Workspace[];
    others?: Record<string, RouteHandler>;
  } = {},
) {
  let organization = options.organization ?? makeOrganization();
  let members = [...(options.members ?? [])];
  let teams = [...(options.teams ?? [])];
  const workspaces = options.workspaces ?? [testWorkspace];
  const base = `/organizations/${organization.id}`;
  const routes: Record<string, RouteHandler> = {};
  const owner = () => organization.role === 'owner';
  const manages = () => organization.role === 'owner' || organization.role === 'admin';
  const forbidden = () => error(403, 'FORBIDDEN', 'Your organisation role cannot do this.');

  const replaceTeam = (team: Team): RouteAnswer => {
    teams = teams.map((each) => (each.id === team.id ? team : each));
    return { status: 200, body: team };
  };

  const addTeamRoutes = (teamId: string) => {
    const url = `${base}/teams/${teamId}`;
    const find = () => teams.find((each) => each.id === teamId);
    routes[`PATCH ${url}`] = ({ body }) => {
      const parsed = updateTeamSchema.safeParse(body);
      if (!parsed.success) return validationFailed(parsed.error.issues);
      const team = find();
      if (!team) return error(404, 'TEAM_NOT_FOUND', 'No such team.');
      return replaceTeam({ ...team, ...parsed.data });
    };
    routes[`DELETE ${url}`] = () => {
      const team = find();
      if (!team) return error(404, 'TEAM_NOT_FOUND', 'No such team.');
      teams = teams.filter((each) => each.id !== teamId);
      return { status: 200, body: team };
    };
    routes[`POST ${url}/members`] = ({ body }) => {
      const input = addTeamMemberSchema.parse(body);
      const team = find();
      if (!team) return error(404, 'TEAM_NOT_FOUND', 'No such team.');
      const name = input.kind === 'user' ? members.find((member) => member.userId === input.id)?.name : 'scout';
      if (!name) return error(404, 'USER_NOT_FOUND', 'No such person in the organisation.');
      const member = { kind: input.kind, id: input.id, name, workspaceId: input.kind === 'agent' ? workspaceId : null, addedAt: at };
      for (const kind of ['user', 'agent'] as const) {
        routes[`DELETE ${url}/members/${kind}/${input.id}`] = () => {
          const current = find();
          if (!current) return error(404, 'TEAM_NOT_FOUND', 'No such team.');
          return replaceTeam({ ...current, members: current.members.filter((each) => each.id !== input.id) });
        };
      }
      return replaceTeam({ ...team, members: [...team.members, member] });
    };
    for (const workspace of workspaces) {
      routes[`PUT ${url}/workspaces/${workspace.id}`] = ({ body }) => {
        const input = grantTeamAccessSchema.parse(body);
        const team = find();
        if (!team) return error(404, 'TEAM_NOT_FOUND', 'No such team.');
        if (!('role' in input)) return error(404, 'ROLE_NOT_FOUND', 'No such role.');
        const access = { workspaceId: workspace.id, workspaceName: workspace.name, role: input.role, customRole: null, grantedAt: at };
        return replaceTeam({ ...team, workspaces: [...team.workspaces.filter((each) => each.workspaceId !== workspace.id), access] });
      };
      routes[`DELETE ${url}/workspaces/${workspace.id}`] = () => {
        const team = find();
        if (!team) return error(404, 'TEAM_NOT_FOUND', 'No such team.');
        return replaceTeam({ ...team, workspaces: team.workspaces.filter((each) => each.workspaceId !== workspace.id) });
      };
    }
  };

  const addMemberRoutes = (userId: string) => {
    routes[`PATCH ${base}/members/${userId}`] = ({ body }) => {
      const { role } = updateOrganizationMemberSchema.parse(body);
      if (!owner()) return forbidden();
      const member = members.find((each) => each.userId === userId);
      if (!member) return error(404, 'USER_NOT_FOUND', 'No such person in the organisation.');
      const owners = members.filter((each) => each.role === 'owner').length;
      if (member.role === 'owner' && role !== 'owner' && owners <= 1)
        return error(409, 'LAST_OWNER', 'An organisation needs an owner. Make someone else owner first.');
      const next = { ...member, role };
      members = members.map((each) => (each.userId === userId ? next : each));
      return { status: 200, body: next };
    };
  };

  routes['GET /organizations'] = () => ({ status: 200, body: { data: [organization] } });
  routes['GET /workspace'] = () => ({ status: 200, body: workspaces[0] });
  routes['GET /workspaces'] = () => ({ status: 200, body: { data: workspaces.map((workspace) => ({ workspace, role: 'owner' })) } });
  routes[`PATCH ${base}`] = ({ body }) => {
    const parsed = updateOrganizationSchema.safeParse(body);
    if (!parsed.success) return validationFailed(parsed.error.issues);
    if (!owner()) return forbidden();
    if (parsed.data.passwordSignInDisabled === true)
      return error(409, 'SSO_NOT_CONFIGURED', 'Single sign-on is not configured on this server. Configure MISSION_OIDC_ISSUER first.');
    const { limits, ...rest } = parsed.data;
    organization = { ...organization, ...rest, limits: { ...organization.limits, ...limits } };
    return { status: 200, body: organization };
  };
  routes[`GET ${base}/members`] = () => ({ status: 200, body: { data: members } });
  routes[`GET ${base}/teams`] = () => ({ status: 200, body: { data: teams } });
  routes[`POST ${base}/teams`] = ({ body }) => {
    const parsed = createTeamSchema.safeParse(body);
    if (!parsed.success) return validationFailed(parsed.error.issues);
    if (!manages()) return forbidden();
    if (teams.some((team) => team.name.toLowerCase() === parsed.data.name.toLowerCase()))
      return error(409, 'TEAM_NAME_TAKEN', `The organisation has a team named ${parsed.data.name}.`);
    const team: Team = { id: testId(), organizationId: organization.id, ...parsed.data, members: [], workspaces: [], createdAt: at };
    teams = [...teams, team];
    addTeamRoutes(team.id);
    return { status: 201, body: team };
  };
  for (const member of members) addMemberRoutes(member.userId);
  for (const team of teams) addTeamRoutes(team.id);
  Object.assign(routes, options.others ?? {});

  return {
    routes,
    organization: () => organization,
    members: () => members,
    teams: () => teams,
    setRole: (role: OrganizationRole) => {
      organization = { ...organization, role };
    },
  };
}
