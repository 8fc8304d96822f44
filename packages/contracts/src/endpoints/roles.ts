import { z } from 'zod';
import { idSchema } from '../common.js';
import { createCustomRoleSchema, customRoleSchema, roleListSchema, updateCustomRoleSchema } from '../roles.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'roles';
const roleParamsSchema = z.object({ id: idSchema });
const theRole = { 200: { description: 'The role', schema: customRoleSchema } } as const;

export const listRoles = defineEndpoint({
  operationId: 'listRoles',
  method: 'GET',
  path: '/api/v1/roles',
  tag,
  auth: 'user',
  summary: 'The built-in roles and the workspace’s custom roles',
  description:
    'Every member can read them. A custom role is a built-in role (admin, member or viewer) narrowed to the permissions it lists: its holders can do what the built-in role can, through those endpoints only.',
  responses: { 200: { description: 'The roles', schema: roleListSchema } },
  errors: [],
});

export const createRole = defineEndpoint({
  operationId: 'createRole',
  method: 'POST',
  path: '/api/v1/roles',
  tag,
  auth: 'user',
  summary: 'Create a custom role',
  description:
    'Owners and admins create roles. Names are unique in the workspace (409 ROLE_NAME_TAKEN) and cannot be a built-in role’s. Each permission must be one GET /api/v1/permissions lists. Give it to a member with PATCH /api/v1/members/{userId} {"customRoleId"}.',
  body: createCustomRoleSchema,
  responses: { 201: { description: 'The new role', schema: customRoleSchema } },
  errors: ['ROLE_NAME_TAKEN'],
});

export const updateRole = defineEndpoint({
  operationId: 'updateRole',
  method: 'PATCH',
  path: '/api/v1/roles/{id}',
  tag,
  auth: 'user',
  summary: 'Rename a custom role or change its permissions',
  description:
    'Owners and admins change roles; the change applies to every holder at their next request, on every instance. The base role cannot change: create another role and move the members to it.',
  params: roleParamsSchema,
  body: updateCustomRoleSchema,
  responses: theRole,
  errors: ['ROLE_NOT_FOUND', 'ROLE_NAME_TAKEN'],
});

export const deleteRole = defineEndpoint({
  operationId: 'deleteRole',
  method: 'DELETE',
  path: '/api/v1/roles/{id}',
  tag,
  auth: 'user',
  summary: 'Delete a custom role nobody holds',
  description: 'Owners and admins delete roles. A role members still hold answers 409 ROLE_IN_USE: give them another role first.',
  params: roleParamsSchema,
  responses: theRole,
  errors: ['ROLE_NOT_FOUND', 'ROLE_IN_USE'],
});
