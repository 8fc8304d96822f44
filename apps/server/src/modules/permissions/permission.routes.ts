import {
  allEndpoints,
  endpointScope,
  endpoints,
  isSessionAuthenticated,
  listPermissionNames,
  type Permission,
} from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';

/** The permission names come from the endpoint definitions, so the list is computed once. */
const permissions: Permission[] = listPermissionNames(allEndpoints).map((name) => {
  const operations = allEndpoints
    .filter((definition) => isSessionAuthenticated(definition) && endpointScope(definition) === name)
    .map((definition) => definition.operationId);
  const [tag, access] = name.split('.');
  return {
    name,
    description:
      name === 'mcp.write'
        ? 'Use the MCP endpoint (/mcp), whose tools read and change work'
        : access === 'read'
          ? `Read ${tag} (its GET endpoints)`
          : `Change ${tag} (its POST, PUT, PATCH and DELETE endpoints)`,
    operations,
  };
});

export async function permissionRoutes(app: FastifyInstance): Promise<void> {
  registerEndpoint(app, endpoints.listPermissions, async () => ({ data: permissions }));
}
