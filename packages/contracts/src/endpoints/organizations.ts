import { z } from 'zod';
import { idSchema, principalKindSchema } from '../common.js';
import {
  addTeamMemberSchema,
  configureOrganizationSsoSchema,
  createOrganizationSchema,
  createTeamSchema,
  grantTeamAccessSchema,
  organizationListSchema,
  organizationMemberListSchema,
  organizationMemberSchema,
  organizationSchema,
  teamListSchema,
  teamSchema,
  updateOrganizationMemberSchema,
  updateOrganizationSchema,
  updateTeamSchema,
} from '../organizations.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'organizations';
const organizationParamsSchema = z.object({ id: idSchema });
const memberParamsSchema = z.object({ id: idSchema, userId: idSchema });
const teamParamsSchema = z.object({ id: idSchema, teamId: idSchema });
const teamMemberParamsSchema = z.object({ id: idSchema, teamId: idSchema, kind: principalKindSchema, memberId: idSchema });
const teamWorkspaceParamsSchema = z.object({ id: idSchema, teamId: idSchema, workspaceId: idSchema });
const theOrganization = { 200: { description: 'The organisation, with its limits and what it used', schema: organizationSchema } } as const;
const theTeam = { 200: { description: 'The team, with its members and workspaces', schema: teamSchema } } as const;

export const listOrganizations = defineEndpoint({
  operationId: 'listOrganizations',
  method: 'GET',
  path: '/api/v1/organizations',
  tag,
  auth: 'user',
  summary: 'The organisations you belong to',
  description:
    'Each with your role in it, its limits and what it used this month. Being a member of one of its workspaces makes you a member.',
  responses: { 200: { description: 'Your organisations, oldest first', schema: organizationListSchema } },
  errors: [],
});

export const createOrganization = defineEndpoint({
  operationId: 'createOrganization',
  method: 'POST',
  path: '/api/v1/organizations',
  tag,
  auth: 'user',
  summary: 'Create an organisation; you become its owner',
  description:
    'Then create its workspaces with POST /api/v1/workspaces {"organizationId"}. The slug defaults to one made from the name and must be unique on the server.',
  body: createOrganizationSchema,
  responses: { 201: { description: 'The new organisation', schema: organizationSchema } },
  errors: ['ORGANIZATION_SLUG_TAKEN'],
});

export const getOrganization = defineEndpoint({
  operationId: 'getOrganization',
  method: 'GET',
  path: '/api/v1/organizations/{id}',
  tag,
  auth: 'user',
  summary: 'One organisation, its limits and usage',
  description: 'Any of its members can read it; what it used counts every workspace it owns.',
  params: organizationParamsSchema,
  responses: theOrganization,
  errors: ['ORGANIZATION_NOT_FOUND'],
});

export const updateOrganization = defineEndpoint({
  operationId: 'updateOrganization',
  method: 'PATCH',
  path: '/api/v1/organizations/{id}',
  tag,
  auth: 'user',
  summary: 'Rename an organisation, change its limits or its sign-in rules',
  description:
    'Owners only. Limits apply at once on every instance. `passwordSignInDisabled` needs single sign-on configured on the server (409 SSO_NOT_CONFIGURED), so nobody is locked out. `mfaRequired` makes members without a second factor enrol one before anything else.',
  params: organizationParamsSchema,
  body: updateOrganizationSchema,
  responses: theOrganization,
  errors: ['ORGANIZATION_NOT_FOUND', 'SSO_NOT_CONFIGURED'],
});

export const configureOrganizationSso = defineEndpoint({
  operationId: 'configureOrganizationSso',
  method: 'PUT',
  path: '/api/v1/organizations/{id}/sso',
  tag,
  auth: 'user',
  summary: 'Set up the organisation’s own single sign-on provider',
  description:
    'Owners only. Any OpenID Connect provider: register `<this server>/api/v1/auth/oidc/callback` as its redirect URI. The sign-in page then offers “Sign in with <providerName>” (GET /api/v1/auth/oidc/start?organization=<slug>). The client secret is stored sealed and never answered back.',
  params: organizationParamsSchema,
  body: configureOrganizationSsoSchema,
  responses: theOrganization,
  errors: ['ORGANIZATION_NOT_FOUND'],
});

export const removeOrganizationSso = defineEndpoint({
  operationId: 'removeOrganizationSso',
  method: 'DELETE',
  path: '/api/v1/organizations/{id}/sso',
  tag,
  auth: 'user',
  summary: 'Remove the organisation’s own single sign-on provider',
  description:
    'Owners only. While password sign-in is off and the server has no provider of its own, this answers 409 SSO_NOT_CONFIGURED: turn password sign-in back on first.',
  params: organizationParamsSchema,
  responses: theOrganization,
  errors: ['ORGANIZATION_NOT_FOUND', 'SSO_NOT_CONFIGURED'],
});

export const listOrganizationMembers = defineEndpoint({
  operationId: 'listOrganizationMembers',
  method: 'GET',
  path: '/api/v1/organizations/{id}/members',
  tag,
  auth: 'user',
  summary: 'The people of an organisation',
  description: 'Everyone who is a member of one of its workspaces, with their organisation role and whether they have a second factor.',
  params: organizationParamsSchema,
  responses: { 200: { description: 'Its people, by name', schema: organizationMemberListSchema } },
  errors: ['ORGANIZATION_NOT_FOUND'],
});

export const updateOrganizationMember = defineEndpoint({
  operationId: 'updateOrganizationMember',
  method: 'PATCH',
  path: '/api/v1/organizations/{id}/members/{userId}',
  tag,
  auth: 'user',
  summary: 'Change someone’s organisation role',
  description: 'Owners only. The last owner cannot step down (409 LAST_OWNER): make someone else owner first.',
  params: memberParamsSchema,
  body: updateOrganizationMemberSchema,
  responses: { 200: { description: 'The member', schema: organizationMemberSchema } },
  errors: ['ORGANIZATION_NOT_FOUND', 'USER_NOT_FOUND', 'LAST_OWNER'],
});

export const listTeams = defineEndpoint({
  operationId: 'listTeams',
  method: 'GET',
  path: '/api/v1/organizations/{id}/teams',
  tag,
  auth: 'user',
  summary: 'The teams of an organisation',
  description: 'Every member of the organisation can read its teams, their people, agents and workspaces.',
  params: organizationParamsSchema,
  responses: { 200: { description: 'Its teams, by name', schema: teamListSchema } },
  errors: ['ORGANIZATION_NOT_FOUND'],
});

export const createTeam = defineEndpoint({
  operationId: 'createTeam',
  method: 'POST',
  path: '/api/v1/organizations/{id}/teams',
  tag,
  auth: 'user',
  summary: 'Create a team',
  description: 'Owners and admins of the organisation create teams. Names are unique in it, whatever their case (409 TEAM_NAME_TAKEN).',
  params: organizationParamsSchema,
  body: createTeamSchema,
  responses: { 201: { description: 'The new team', schema: teamSchema } },
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NAME_TAKEN'],
});

export const getTeam = defineEndpoint({
  operationId: 'getTeam',
  method: 'GET',
  path: '/api/v1/organizations/{id}/teams/{teamId}',
  tag,
  auth: 'user',
  summary: 'One team',
  description: 'Its people and agents, and the role it holds on each of its workspaces.',
  params: teamParamsSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND'],
});

export const updateTeam = defineEndpoint({
  operationId: 'updateTeam',
  method: 'PATCH',
  path: '/api/v1/organizations/{id}/teams/{teamId}',
  tag,
  auth: 'user',
  summary: 'Rename a team or change its description',
  description: 'Owners and admins of the organisation. Names are unique in it, whatever their case.',
  params: teamParamsSchema,
  body: updateTeamSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND', 'TEAM_NAME_TAKEN'],
});

export const deleteTeam = defineEndpoint({
  operationId: 'deleteTeam',
  method: 'DELETE',
  path: '/api/v1/organizations/{id}/teams/{teamId}',
  tag,
  auth: 'user',
  summary: 'Delete a team',
  description: 'Its people lose what the team gave them: a workspace they belong to only through it is left; their own memberships stay.',
  params: teamParamsSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND'],
});

export const addTeamMember = defineEndpoint({
  operationId: 'addTeamMember',
  method: 'POST',
  path: '/api/v1/organizations/{id}/teams/{teamId}/members',
  tag,
  auth: 'user',
  summary: 'Add a person or an agent to a team',
  description:
    'A person must be a member of the organisation, an agent must be one of its workspaces’ (404 otherwise). A person becomes a member of the team’s workspaces, with the team’s role there unless they already hold a higher one.',
  params: teamParamsSchema,
  body: addTeamMemberSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND', 'USER_NOT_FOUND', 'AGENT_NOT_FOUND'],
});

export const removeTeamMember = defineEndpoint({
  operationId: 'removeTeamMember',
  method: 'DELETE',
  path: '/api/v1/organizations/{id}/teams/{teamId}/members/{kind}/{memberId}',
  tag,
  auth: 'user',
  summary: 'Take a person or an agent out of a team',
  description: 'A person keeps the workspaces they belong to in their own right or through another team; the others they leave.',
  params: teamMemberParamsSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND', 'TEAM_MEMBER_NOT_FOUND'],
});

export const grantTeamAccess = defineEndpoint({
  operationId: 'grantTeamAccess',
  method: 'PUT',
  path: '/api/v1/organizations/{id}/teams/{teamId}/workspaces/{workspaceId}',
  tag,
  auth: 'user',
  summary: 'Give a team a role on a workspace',
  description:
    'A built-in role (admin, member, viewer; never owner) or a custom role of that workspace. The team’s people become members with it; someone in several teams, or with a membership of their own, gets the highest role.',
  params: teamWorkspaceParamsSchema,
  body: grantTeamAccessSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND', 'WORKSPACE_NOT_FOUND', 'ROLE_NOT_FOUND'],
});

export const revokeTeamAccess = defineEndpoint({
  operationId: 'revokeTeamAccess',
  method: 'DELETE',
  path: '/api/v1/organizations/{id}/teams/{teamId}/workspaces/{workspaceId}',
  tag,
  auth: 'user',
  summary: 'Take a workspace away from a team',
  description: 'People who belonged to it only through the team leave it; the others keep their own role.',
  params: teamWorkspaceParamsSchema,
  responses: theTeam,
  errors: ['ORGANIZATION_NOT_FOUND', 'TEAM_NOT_FOUND', 'WORKSPACE_NOT_FOUND'],
});
