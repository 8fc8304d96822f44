import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { RoleService } from './role.service.js';

/** Custom roles: list, create, change, delete. Members get one with PATCH /api/v1/members/{userId}. */
export async function roleRoutes(app: FastifyInstance, { roles }: { roles: RoleService }): Promise<void> {
  registerEndpoint(app, endpoints.listRoles, async (request) => roles.listRoles(request.principal));
  registerEndpoint(app, endpoints.createRole, async (request) => roles.createRole(request.principal, request.body));
  registerEndpoint(app, endpoints.updateRole, async (request) => roles.updateRole(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.deleteRole, async (request) => roles.deleteRole(request.principal, request.params.id));
}
