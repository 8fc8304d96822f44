import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';

/** Where a request came from, as the audit log records it. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

// The authenticate hook makes one principal object per request, so the principal carries its
// request's origin to every service call it is passed to without widening their signatures.
const originsByPrincipal = new WeakMap<object, RequestOrigin>();

const maxUserAgentLength = 512;

export function originOfRequest(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip || null, userAgent: userAgent ? userAgent.slice(0, maxUserAgentLength) : null };
}

/** An onRequest hook, after authentication: remembers the origin of the request's principal. */
export async function rememberRequestOrigin(request: FastifyRequest): Promise<void> {
  const principal: Principal | undefined = request.principal;
  if (principal) originsByPrincipal.set(principal, originOfRequest(request));
}

/** The origin of the request a principal (or a reference made from nothing else) arrived with. */
export function findOriginOf(principal: object): RequestOrigin | undefined {
  return originsByPrincipal.get(principal);
}
