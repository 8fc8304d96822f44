import {
  type AcceptedInvitation,
  type CreatedInvitation,
  endpoints,
  type Invitation,
  type ReceivedInvitation,
  type SessionTokens,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Options of `invitations.list`: the query of `GET /api/v1/invitations` without the cursor. */
export type ListInvitationsOptions = Omit<z.input<typeof endpoints.listInvitations.query>, 'cursor'>;

/** Inviting people to the workspace, and answering invitations (`/invitations`, `/invitation-links`). */
export class InvitationsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.invitations`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Invites an email (owners and admins); the token and its link are in the answer once. */
  create(input: z.input<typeof endpoints.createInvitation.body>): Promise<CreatedInvitation> {
    return this.context.transport.call(endpoints.createInvitation, { body: input });
  }

  /** Lists the workspace's invitations, newest first (owners and admins). */
  list(options: ListInvitationsOptions = {}): PageIterator<Invitation> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listInvitations, { query: { ...options, cursor } }));
  }

  /** Revokes an unanswered invitation; its link stops working. */
  revoke(invitationId: string): Promise<Invitation> {
    return this.context.transport.call(endpoints.revokeInvitation, { params: { id: invitationId } });
  }

  /** The signed-in person's pending invitations, from every workspace. */
  async mine(): Promise<ReceivedInvitation[]> {
    return (await this.context.transport.call(endpoints.listMyInvitations)).data;
  }

  /** Accepts an invitation addressed to the signed-in person; sign in with the answered workspace's id to switch to it. */
  accept(invitationId: string): Promise<AcceptedInvitation> {
    return this.context.transport.call(endpoints.acceptInvitation, { params: { id: invitationId } });
  }

  /** Declines an invitation addressed to the signed-in person. */
  decline(invitationId: string): Promise<ReceivedInvitation> {
    return this.context.transport.call(endpoints.declineInvitation, { params: { id: invitationId } });
  }

  /** What an invitation link's token carries: who invited the email to which workspace. No credential needed. */
  getByToken(token: string): Promise<ReceivedInvitation> {
    return this.context.transport.call(endpoints.getInvitationByToken, { params: { token } });
  }

  /** Accepts an invitation link (creating the account, or with the existing account's password) and uses the new session. */
  async acceptWithToken(token: string, input: z.input<typeof endpoints.acceptInvitationWithToken.body>): Promise<SessionTokens> {
    const session = await this.context.transport.call(endpoints.acceptInvitationWithToken, { params: { token }, body: input });
    this.context.setAccessToken(session.accessToken);
    return session;
  }
}
