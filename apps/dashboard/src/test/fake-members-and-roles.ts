import {
  type BuiltInRole,
  type CustomRole,
  createCustomRoleSchema,
  createInvitationSchema,
  type Invitation,
  type Member,
  type Permission,
  updateCustomRoleSchema,
  updateMemberSchema,
  type WorkspaceRole,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { testId, workspaceId } from './fixtures';
import type { RouteAnswer, RouteHandler } from './render-with-app';

/** The built-in roles as the server describes them. */
export const builtInRoles: BuiltInRole[] = [
  { name: 'owner', description: 'Everything, including the audit settings and making other owners.' },
  { name: 'admin', description: 'Everything but the audit settings and owners: people, agents, keys, integrations.' },
  { name: 'member', description: 'The work itself: tasks, messages, documents, and agents with their keys.' },
  { name: 'viewer', description: 'Reads everything, changes nothing.' },
];

/** A few permissions, worded as the server words them; mcp has only a write permission. */
export const testPermissions: Permission[] = [
  ...['tasks', 'agents', 'working-state'].flatMap((tag) => [
    { name: `${tag}.read`, description: `Read ${tag} (its GET endpoints)`, operations: [] },
    { name: `${tag}.write`, description: `Change ${tag} (its POST, PUT, PATCH and DELETE endpoints)`, operations: [] },
  ]),
  { name: 'mcp.write', description: 'Use the MCP endpoint (/mcp), whose tools read and change work', operations: [] },
];

const error = (status: number, code: string, message: string, details?: unknown): RouteAnswer => ({
  status,
  body: { error: { code, message, ...(details === undefined ? {} : { details }) } },
});

/** A 400 VALIDATION_FAILED the way the server words one: an issue per field, under body. */
function validationFailed(issues: z.core.$ZodIssue[]): RouteAnswer {
  const located = issues.map((issue) => ({ path: ['body', ...issue.path].join('.'), message: issue.message }));
  return error(400, 'VALIDATION_FAILED', `Invalid body: ${located.map((issue) => `${issue.path} ${issue.message}`).join('; ')}.`, {
    issues: located,
  });
}

/**
 * The members, roles, permissions and invitations endpoints over in-memory lists, with the
 * server's rules: only an owner makes or changes owners (403), the last owner stays one (409
 * LAST_OWNER), role names are unique (409 ROLE_NAME_TAKEN), a held role cannot be deleted (409
 * ROLE_IN_USE with the count). Bodies are parsed with the contracts' schemas. `actorRole` is the
 * signed-in person's role; `others` join (or replace) the table: pass `routes` itself to
 * renderWithApp, since each new role adds its own routes to it.
 */
export function createFakeMembersAndRoles(
  options: {
    members?: Member[];
    roles?: CustomRole[];
    invitations?: Invitation[];
    actorRole?: WorkspaceRole;
    others?: Record<string, RouteHandler>;
  } = {},
) {
  let members = [...(options.members ?? [])];
  let roles = (options.roles ?? []).map((role) => ({ ...role }));
  let invitations = [...(options.invitations ?? [])];
  const actorRole = options.actorRole ?? 'owner';
  const routes: Record<string, RouteHandler> = {};

  const withCount = (role: CustomRole): CustomRole => ({
    ...role,
    memberCount: members.filter((member) => member.customRole?.id === role.id).length,
  });
  const owners = () => members.filter((member) => member.role === 'owner').length;

  const addMemberRoutes = (userId: string) => {
    routes[`PATCH /members/${userId}`] = ({ body }) => {
      const change = updateMemberSchema.parse(body);
      const member = members.find((each) => each.user.id === userId);
      if (!member) return error(404, 'USER_NOT_FOUND', 'No member with this id in the workspace.');
      if ('role' in change && change.role === 'owner' && actorRole !== 'owner')
        return error(403, 'FORBIDDEN', 'Only an owner can make someone an owner.');
      let next: Member;
      if ('role' in change) next = { ...member, role: change.role, customRole: null };
      else {
        const role = roles.find((each) => each.id === change.customRoleId);
        if (!role) return error(404, 'ROLE_NOT_FOUND', 'No custom role with this id in the workspace. GET /api/v1/roles lists them.');
        next = { ...member, role: role.baseRole, customRole: { id: role.id, name: role.name } };
      }
      if (member.role === 'owner' && actorRole !== 'owner')
        return error(403, 'FORBIDDEN', 'Only an owner can change the role of an owner.');
      if (member.role === 'owner' && next.role !== 'owner' && owners() <= 1)
        return error(409, 'LAST_OWNER', 'A workspace needs at least one owner. Make someone else owner first.');
      members = members.map((each) => (each.user.id === userId ? next : each));
      return { status: 200, body: next };
    };
    routes[`DELETE /members/${userId}`] = () => {
      const member = members.find((each) => each.user.id === userId);
      if (!member) return error(404, 'USER_NOT_FOUND', 'No member with this id in the workspace.');
      if (member.role === 'owner') {
        if (actorRole !== 'owner') return error(403, 'FORBIDDEN', 'Only an owner can remove an owner.');
        if (owners() <= 1) return error(409, 'LAST_OWNER', 'A workspace needs at least one owner. Make someone else owner first.');
      }
      members = members.filter((each) => each.user.id !== userId);
      return { status: 204 };
    };
  };

  const nameTaken = (name: string, except?: string) =>
    roles.some((role) => role.id !== except && role.name.toLowerCase() === name.toLowerCase());
  const unknownPermissions = (names: string[]) => names.filter((name) => !testPermissions.some((each) => each.name === name));
  const refuseUnknown = (names: string[]) =>
    error(400, 'VALIDATION_FAILED', `Unknown permissions: ${names.join(', ')}. GET /api/v1/permissions lists the names.`, {
      issues: [{ path: 'permissions', message: `Unknown permissions: ${names.join(', ')}` }],
    });

  const addRoleRoutes = (id: string) => {
    routes[`PATCH /roles/${id}`] = ({ body }) => {
      const parsed = updateCustomRoleSchema.safeParse(body);
      if (!parsed.success) return validationFailed(parsed.error.issues);
      const role = roles.find((each) => each.id === id);
      if (!role) return error(404, 'ROLE_NOT_FOUND', 'No custom role with this id in the workspace. GET /api/v1/roles lists them.');
      const input = parsed.data;
      if (input.name !== undefined && nameTaken(input.name, id))
        return error(409, 'ROLE_NAME_TAKEN', `The workspace already has a role named "${input.name}". Pick another name.`);
      const unknown = unknownPermissions(input.permissions ?? []);
      if (unknown.length > 0) return refuseUnknown(unknown);
      const next: CustomRole = {
        ...role,
        name: input.name ?? role.name,
        description: input.description ?? role.description,
        permissions: input.permissions ? [...new Set(input.permissions)].sort() : role.permissions,
        updatedAt: new Date().toISOString(),
      };
      roles = roles.map((each) => (each.id === id ? next : each));
      members = members.map((member) => (member.customRole?.id === id ? { ...member, customRole: { id, name: next.name } } : member));
      return { status: 200, body: withCount(next) };
    };
    routes[`DELETE /roles/${id}`] = () => {
      const role = roles.find((each) => each.id === id);
      if (!role) return error(404, 'ROLE_NOT_FOUND', 'No custom role with this id in the workspace. GET /api/v1/roles lists them.');
      const holders = withCount(role).memberCount;
      if (holders > 0)
        return error(
          409,
          'ROLE_IN_USE',
          `${holders === 1 ? 'One member holds' : `${holders} members hold`} the role ${role.name}. Give them another role first (PATCH /api/v1/members/{userId}).`,
          { memberCount: holders },
        );
      roles = roles.filter((each) => each.id !== id);
      return { status: 200, body: { ...role, memberCount: 0 } };
    };
  };

  routes['GET /members'] = () => ({ status: 200, body: { data: members } });
  routes['GET /roles'] = () => ({
    status: 200,
    body: { builtIn: builtInRoles, data: [...roles].sort((left, right) => left.name.localeCompare(right.name)).map(withCount) },
  });
  routes['GET /permissions'] = () => ({ status: 200, body: { data: testPermissions } });
  routes['POST /roles'] = ({ body }) => {
    const parsed = createCustomRoleSchema.safeParse(body);
    if (!parsed.success) return validationFailed(parsed.error.issues);
    const input = parsed.data;
    if (nameTaken(input.name))
      return error(409, 'ROLE_NAME_TAKEN', `The workspace already has a role named "${input.name}". Pick another name.`);
    const unknown = unknownPermissions(input.permissions);
    if (unknown.length > 0) return refuseUnknown(unknown);
    const now = new Date().toISOString();
    const role: CustomRole = {
      id: testId(),
      name: input.name,
      description: input.description,
      baseRole: input.baseRole,
      permissions: [...new Set(input.permissions)].sort(),
      memberCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    roles.push(role);
    addRoleRoutes(role.id);
    return { status: 201, body: role };
  };

  const addInvitationRoutes = (id: string) => {
    routes[`DELETE /invitations/${id}`] = () => {
      const invitation = invitations.find((each) => each.id === id);
      if (!invitation) return error(404, 'INVITATION_NOT_FOUND', 'No invitation with this id.');
      const revoked: Invitation = { ...invitation, status: 'revoked', respondedAt: new Date().toISOString() };
      invitations = invitations.map((each) => (each.id === id ? revoked : each));
      return { status: 200, body: revoked };
    };
  };
  routes['GET /invitations'] = () => ({
    status: 200,
    body: { data: invitations.filter((invitation) => invitation.status === 'pending'), nextCursor: null },
  });
  routes['POST /invitations'] = ({ body }) => {
    const input = createInvitationSchema.parse(body);
    if (members.some((member) => member.user.email === input.email))
      return error(409, 'MEMBER_ALREADY_EXISTS', 'This email is already a member of the workspace.');
    const now = new Date();
    const invitation: Invitation = {
      id: testId(),
      workspaceId,
      email: input.email,
      role: input.role,
      status: 'pending',
      expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      createdAt: now.toISOString(),
      invitedBy: { kind: 'user', id: testId() },
      respondedAt: null,
    };
    invitations.unshift(invitation);
    addInvitationRoutes(invitation.id);
    return { status: 201, body: { invitation, token: `mc_inv_${invitations.length}`, acceptUrl: `/invite/mc_inv_${invitations.length}` } };
  };

  for (const member of members) addMemberRoutes(member.user.id);
  for (const role of roles) addRoleRoutes(role.id);
  for (const invitation of invitations) addInvitationRoutes(invitation.id);
  Object.assign(routes, options.others ?? {});

  return { routes, members: () => members, roles: () => roles.map(withCount), invitations: () => invitations };
}
