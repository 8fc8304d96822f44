import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { MfaService } from './mfa.service.js';

/** Finishing a sign-in with a code: reachable without a token, limited per address like login. */
export async function publicMfaRoutes(app: FastifyInstance, { mfa }: { mfa: MfaService }): Promise<void> {
  registerEndpoint(app, endpoints.verifyMfa, async (request) => mfa.verifyChallenge(request.body));
}

/** The signed-in person's own second factor. */
export async function mfaRoutes(app: FastifyInstance, { mfa }: { mfa: MfaService }): Promise<void> {
  registerEndpoint(app, endpoints.getMfaStatus, async (request) => mfa.getStatus(request.principal));
  registerEndpoint(app, endpoints.beginTotpEnrolment, async (request) => mfa.beginTotpEnrolment(request.principal));
  registerEndpoint(app, endpoints.confirmTotpEnrolment, async (request) => mfa.confirmTotpEnrolment(request.principal, request.body.code));
  registerEndpoint(app, endpoints.disableTotp, async (request) => {
    await mfa.disableTotp(request.principal, request.body);
  });
}
