import {
  createWorkspaceSchema,
  memberListSchema,
  memberSchema,
  updateMemberSchema,
  updateWorkspaceSchema,
  userIdParamsSchema,
  workspaceMembershipListSchema,
  workspaceSchema,
} from '../workspaces.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'workspaces';
const theMember = { 200: { description: 'The member with their role', schema: memberSchema } } as const;

export const getWorkspace = defineEndpoint({
  operationId: 'getWorkspace',
  method: 'GET',
  path: '/api/v1/workspace',
  tag,
  auth: 'any',
  summary: 'The workspace of the current credential',
  description: 'Every credential works in one workspace: a session in the one signed in to, an API key in the one it was created in.',
  responses: { 200: { description: 'The workspace', schema: workspaceSchema } },
  errors: ['WORKSPACE_NOT_FOUND'],
});

export const updateWorkspace = defineEndpoint({
  operationId: 'updateWorkspace',
  method: 'PATCH',
  path: '/api/v1/workspace',
  tag,
  auth: 'user',
  summary: 'Rename the workspace or set its work-in-progress limits',
  description:
    'Owners and admins only. `wipLimits` is merged column by column: a number sets that column’s limit, `null` removes it. Over a limit the board warns; nothing is refused. The slug and the task key prefix stay as they were, so links and task keys keep working. Appends a `workspace-updated` event and an audit entry.',
  body: updateWorkspaceSchema,
  responses: { 200: { description: 'The workspace as it is now', schema: workspaceSchema } },
  errors: ['FORBIDDEN', 'WORKSPACE_NOT_FOUND'],
});

export const listWorkspaces = defineEndpoint({
  operationId: 'listWorkspaces',
  method: 'GET',
  path: '/api/v1/workspaces',
  tag,
  auth: 'any',
  summary: 'The workspaces you belong to',
  description:
    'For a person, every workspace with their role in it; sign in again with `workspaceId` to switch. For an agent, only its own workspace.',
  responses: { 200: { description: 'Workspaces with the caller’s role in each', schema: workspaceMembershipListSchema } },
  errors: ['WORKSPACE_NOT_FOUND'],
});

export const createWorkspace = defineEndpoint({
  operationId: 'createWorkspace',
  method: 'POST',
  path: '/api/v1/workspaces',
  tag,
  auth: 'user',
  summary: 'Create a workspace; you become its owner',
  description:
    'The slug defaults to one made from the name and must be unique on the server. Tasks in the new workspace are keyed with `taskKeyPrefix` (TASK-1, TASK-2, …). Sign in with its `workspaceId` to work in it.',
  body: createWorkspaceSchema,
  responses: { 201: { description: 'The new workspace', schema: workspaceSchema } },
  errors: ['WORKSPACE_SLUG_TAKEN'],
});

export const listMembers = defineEndpoint({
  operationId: 'listMembers',
  method: 'GET',
  path: '/api/v1/members',
  tag,
  auth: 'any',
  summary: 'People in the workspace',
  description:
    'Every member with their role, in the order they joined. People join by accepting an invitation (POST /api/v1/invitations); agents are listed under /api/v1/agents.',
  responses: { 200: { description: 'The members', schema: memberListSchema } },
  errors: [],
});

export const updateMember = defineEndpoint({
  operationId: 'updateMember',
  method: 'PATCH',
  path: '/api/v1/members/{userId}',
  tag,
  auth: 'user',
  summary: "Change a member's role (built-in or custom)",
  description:
    'Owners and admins change roles; only an owner makes someone an owner or changes an owner’s role. The last owner keeps the role (LAST_OWNER): make someone else owner first. Send `{"role"}` for a built-in role, or `{"customRoleId"}` for a custom role of the workspace (GET /api/v1/roles), which also sets the built-in role it narrows.',
  params: userIdParamsSchema,
  body: updateMemberSchema,
  responses: theMember,
  errors: ['USER_NOT_FOUND', 'LAST_OWNER', 'ROLE_NOT_FOUND'],
});

export const removeMember = defineEndpoint({
  operationId: 'removeMember',
  method: 'DELETE',
  path: '/api/v1/members/{userId}',
  tag,
  auth: 'user',
  summary: 'Remove a member',
  description:
    'Owners and admins remove people; only an owner removes an owner, and never the last one. The person’s sessions in this workspace end at once; their account and their history stay.',
  params: userIdParamsSchema,
  responses: { 204: { description: 'Removed' } },
  errors: ['USER_NOT_FOUND', 'LAST_OWNER'],
});
