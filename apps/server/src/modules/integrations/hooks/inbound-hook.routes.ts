import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { keepRawJsonBodies } from '../../../http/json-body.js';
import { registerEndpoint } from '../../../http/register-endpoint.js';
import type { InboundHookService } from './inbound-hook.service.js';

/** Managing hooks: for owners and admins, behind authentication. */
export async function inboundHookRoutes(app: FastifyInstance, { inboundHooks }: { inboundHooks: InboundHookService }): Promise<void> {
  registerEndpoint(app, endpoints.createInboundHook, async (request) => inboundHooks.createInboundHook(request.principal, request.body));
  registerEndpoint(app, endpoints.listInboundHooks, async (request) => inboundHooks.listInboundHooks(request.principal));
  registerEndpoint(app, endpoints.getInboundHook, async (request) => inboundHooks.getInboundHook(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateInboundHook, async (request) =>
    inboundHooks.updateInboundHook(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.rotateInboundHookSecret, async (request) =>
    inboundHooks.rotateInboundHookSecret(request.principal, request.params.id),
  );
  registerEndpoint(app, endpoints.deleteInboundHook, async (request) => {
    await inboundHooks.deleteInboundHook(request.principal, request.params.id);
  });
}

/**
 * The public route outside tools call. Its JSON parser keeps the body's exact text, which HMAC
 * signatures are computed over; this context only, so other routes parse as before.
 */
export async function inboundHookReceiveRoutes(
  app: FastifyInstance,
  { inboundHooks }: { inboundHooks: InboundHookService },
): Promise<void> {
  const rawBodyOf = keepRawJsonBodies(app);
  registerEndpoint(app, endpoints.receiveInboundHook, async (request) =>
    inboundHooks.receiveInboundHook(request.params.hookId, {
      rawBody: rawBodyOf(request),
      payload: request.body,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
      ),
    }),
  );
}
