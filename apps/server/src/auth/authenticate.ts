import { allEndpoints, endpointScope, mcpScope } from '@mission-control/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../http/app-error.js';
import type { AuthenticationFailureLimit } from '../http/rate-limits.js';
import type { AuthService } from './auth.service.js';
import { isAddressAllowed } from './credential-authentication.js';
import type { Principal, PrincipalCustomRole } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook on every protected route. */
    principal: Principal;
  }
}

/** Each endpoint's permission by its Fastify route (`GET /api/v1/tasks/:id`). */
const scopeByRoute = new Map(
  allEndpoints.map((definition) => [`${definition.method} ${definition.path.replace(/\{(\w+)\}/g, ':$1')}`, endpointScope(definition)]),
);
/** Every credential may ask whose it is. */
const unscopedRoutes = new Set(['GET /api/v1/auth/me']);

/** What a session that must enrol a second factor first may still do: see who it is, enrol, sign out. */
const mfaEnrolmentRoutes = new Set(
  [allEndpoints.find((definition) => definition.operationId === 'getMe')]
    .concat(
      allEndpoints.filter((definition) =>
        ['getMfaStatus', 'beginTotpEnrolment', 'confirmTotpEnrolment', 'logOut', 'listOrganizations'].includes(definition.operationId),
      ),
    )
    .flatMap((definition) => (definition ? [`${definition.method} ${definition.path.replace(/\{(\w+)\}/g, ':$1')}`] : [])),
);

/** Refuses everything but enrolment to a session whose organisation requires a second factor it lacks. */
export function assertMfaEnrolled(principal: Principal, route: string | null): void {
  if (principal.kind !== 'user' || !principal.mfaEnrolmentRequired) return;
  if (route !== null && mfaEnrolmentRoutes.has(route)) return;
  throw new AppError(
    'MFA_ENROLMENT_REQUIRED',
    'Your organisation requires a second factor. Set one up first (Settings → Security, or POST /api/v1/auth/mfa/totp and confirm it), then try again.',
  );
}

/**
 * A scoped API key may call only the endpoints its scopes name. Routes without a definition (/mcp)
 * need the `mcp.write` scope: MCP tools reach every kind of work, so only a key given it may use them.
 */
function assertKeyScope(request: FastifyRequest, principal: Principal): void {
  const customRole = principal.kind === 'user' ? principal.customRole : undefined;
  if (!principal.scopes && !customRole) return;
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  if (unscopedRoutes.has(route)) return;
  const scope = scopeByRoute.get(route) ?? mcpScope;
  assertRolePermission(customRole, scope);
  if (principal.scopes && !principal.scopes.includes(scope)) {
    throw new AppError(
      'KEY_SCOPE_MISSING',
      `This API key may not do this: it lacks the scope ${scope}. Use a key created with that scope (GET /api/v1/permissions lists them).`,
      { scope },
    );
  }
}

/**
 * A custom role is its built-in role narrowed to its permissions: an endpoint outside them is
 * refused whatever credential the holder uses (a session or any of their keys).
 */
export function assertRolePermission(customRole: PrincipalCustomRole | undefined, permission: string): void {
  if (!customRole || customRole.permissions.includes(permission)) return;
  throw new AppError(
    'ROLE_PERMISSION_MISSING',
    `Your role ${customRole.name} does not include ${permission}, which this needs. Ask a workspace owner or admin to add it to the role or give you another role.`,
    { permission, role: customRole.name },
  );
}

/** A key with an address allow-list works only from those addresses (checked on every request, cached or not). */
export function assertKeyAddress(principal: Principal, address: string): void {
  const allowed = principal.apiKey?.allowedAddresses;
  if (!allowed || isAddressAllowed(allowed, address)) return;
  throw new AppError(
    'KEY_ADDRESS_NOT_ALLOWED',
    `This API key may not be used from ${address}. Call from an address in its allow-list, or use a key that allows this one.`,
    { address },
  );
}

/**
 * Refuses a key that requires signed requests on a surface whose clients cannot sign (MCP, A2A,
 * a metrics scraper): accepting it unsigned there would make the requirement meaningless.
 */
export function refuseSigningKey(principal: Principal, surface: string, instead: string): void {
  if (!principal.apiKey?.signingKey) return;
  throw new AppError(
    'SIGNATURE_INVALID',
    `A key that requires signed requests cannot be used for ${surface}, whose clients do not sign. ${instead}`,
  );
}

/** Where the authenticate hook runs: the signed REST API checks signatures after it, other surfaces refuse signing keys. */
export interface AuthenticateHookOptions {
  failures?: AuthenticationFailureLimit | undefined;
  /** For a surface outside the signed API: its name and what to use there instead. */
  unsignedSurface?: { name: string; instead: string } | undefined;
}

/**
 * Reads `Authorization: Bearer <access token | API key>` and resolves the caller, or answers 401.
 * With a failure limit, each refused credential counts against the caller's address, and past
 * the limit the answer is 429 instead. An expired access token is not counted: it was genuine,
 * and its client is about to refresh.
 */
export function createAuthenticateHook(auth: AuthService, options: AuthenticateHookOptions = {}) {
  const { failures, unsignedSurface } = options;
  async function resolvePrincipal(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new AppError(
        'UNAUTHENTICATED',
        'Send Authorization: Bearer <access token or API key>. Get a token with POST /api/v1/auth/login, or an API key from your workspace.',
      );
    }
    return auth.authenticate(match[1], request.ip);
  }

  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      request.principal = await resolvePrincipal(request);
    } catch (error) {
      const refusedCredential = isAppError(error) && error.statusCode === 401 && error.code !== 'TOKEN_EXPIRED';
      const limited = failures && refusedCredential ? await failures.countFailure(request, reply) : undefined;
      throw limited ?? error;
    }
    assertKeyAddress(request.principal, request.ip);
    if (unsignedSurface) refuseSigningKey(request.principal, unsignedSurface.name, unsignedSurface.instead);
    assertMfaEnrolled(request.principal, `${request.method} ${request.routeOptions.url ?? ''}`);
    assertKeyScope(request, request.principal);
  };
}
