import { z } from 'zod';
import { permissionSchema } from '../permissions.js';
import { defineEndpoint } from './define-endpoint.js';

export const listPermissions = defineEndpoint({
  operationId: 'listPermissions',
  method: 'GET',
  path: '/api/v1/permissions',
  tag: 'auth',
  auth: 'any',
  summary: 'Every permission name a key can be scoped to',
  description:
    'An API key created with `scopes` may call only the endpoints those permissions name (GET /api/v1/auth/me always works); any other answers 403 KEY_SCOPE_MISSING with the missing permission in `details.scope`. A key without `scopes` acts with its owner’s full role, as before. Custom roles (GET /api/v1/roles) list the same names: their holders get 403 ROLE_PERMISSION_MISSING elsewhere, whatever credential they use.',
  responses: { 200: { description: 'The permission names', schema: z.object({ data: z.array(permissionSchema) }) } },
  errors: [],
});
