import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { InvitationService } from './invitation.service.js';

/** The dashboard page that accepts a link: absolute when the server knows where people reach it. */
export function buildAcceptUrl(publicUrl: string | undefined, token: string): string {
  return `${publicUrl ?? ''}/invite/${encodeURIComponent(token)}`;
}

/** Sending, listing and answering invitations: for signed-in people. */
export async function invitationRoutes(
  app: FastifyInstance,
  { invitations, publicUrl }: { invitations: InvitationService; publicUrl: string | undefined },
): Promise<void> {
  registerEndpoint(app, endpoints.createInvitation, async (request) => {
    const { invitation, token } = await invitations.createInvitation(request.principal, request.body);
    return { invitation, token, acceptUrl: buildAcceptUrl(publicUrl, token) };
  });
  registerEndpoint(app, endpoints.listInvitations, async (request) => invitations.listInvitations(request.principal, request.query));
  registerEndpoint(app, endpoints.revokeInvitation, async (request) => invitations.revokeInvitation(request.principal, request.params.id));
  registerEndpoint(app, endpoints.listMyInvitations, async (request) => ({ data: await invitations.listMyInvitations(request.principal) }));
  registerEndpoint(app, endpoints.acceptInvitation, async (request) => invitations.acceptInvitation(request.principal, request.params.id));
  registerEndpoint(app, endpoints.declineInvitation, async (request) =>
    invitations.declineInvitation(request.principal, request.params.id),
  );
}

/** Invitation links: reachable without a token (registered in the public context, limited per address like sign-in). */
export async function publicInvitationRoutes(app: FastifyInstance, { invitations }: { invitations: InvitationService }): Promise<void> {
  registerEndpoint(app, endpoints.getInvitationByToken, async (request) => invitations.getInvitationByToken(request.params.token));
  registerEndpoint(app, endpoints.acceptInvitationWithToken, async (request) =>
    invitations.acceptInvitationWithToken(request.params.token, request.body),
  );
}
