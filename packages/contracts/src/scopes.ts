import { z } from 'zod';
import { textSchema } from './common.js';
import { type EndpointDefinition, isSessionAuthenticated } from './endpoints/define-endpoint.js';

/** The permission an endpoint needs from a scoped API key: `<tag>.read` for GET, `<tag>.write` otherwise. */
export function endpointScope(definition: Pick<EndpointDefinition, 'tag' | 'method'>): string {
  return `${definition.tag}.${definition.method === 'GET' ? 'read' : 'write'}`;
}

/** What a scoped key needs to use /mcp, whose tools reach every kind of work. */
export const mcpScope = 'mcp.write';

/** Every permission name of these endpoints, and MCP's, sorted (GET /api/v1/permissions answers them). */
export function listPermissionNames(definitions: readonly EndpointDefinition[]): string[] {
  return [...new Set([...definitions.filter((definition) => isSessionAuthenticated(definition)).map(endpointScope), mcpScope])].sort();
}

/** A permission name a key can be scoped to; the server refuses names GET /api/v1/permissions does not list. */
export const apiKeyScopeSchema = textSchema()
  .regex(/^[a-z][a-z-]*\.(read|write)$/, 'A scope is a permission name such as tasks.read (GET /api/v1/permissions lists them)')
  .describe('A permission name from GET /api/v1/permissions');

/** An address or CIDR range an API key may be used from. */
export const apiKeyAddressSchema = z
  .union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
    error: 'Give an IPv4 or IPv6 address, or a CIDR range such as 10.0.0.0/8',
  })
  .describe('An IPv4 or IPv6 address, or a CIDR range');
