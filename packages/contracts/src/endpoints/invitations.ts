import { sessionTokensSchema } from '../auth.js';
import { idParamsSchema } from '../common.js';
import {
  acceptedInvitationSchema,
  acceptInvitationWithTokenSchema,
  createdInvitationSchema,
  createInvitationSchema,
  invitationPageSchema,
  invitationSchema,
  invitationTokenParamsSchema,
  listInvitationsQuerySchema,
  receivedInvitationListSchema,
  receivedInvitationSchema,
} from '../invitations.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'invitations';
const closedInvitationErrors = ['INVITATION_NOT_FOUND', 'INVITATION_EXPIRED', 'INVITATION_REVOKED', 'INVITATION_ALREADY_USED'] as const;

export const createInvitation = defineEndpoint({
  operationId: 'createInvitation',
  method: 'POST',
  path: '/api/v1/invitations',
  tag,
  auth: 'user',
  summary: 'Invite someone to the workspace',
  description:
    'Owners and admins invite people by email; nobody becomes a member until they accept. The answer is the same whether or not the email has an account: the invitation, and a single-use `token` with its `acceptUrl`, shown only here (hand the link to the person). Someone with an account also sees it under GET /api/v1/invitations/mine and gets a notification. It expires after 7 days. A new invitation to an email with a pending one replaces it (the old link stops working). An email that is already a member answers 409 MEMBER_ALREADY_EXISTS. Appends an `invitation-created` event. Idempotency-Key is ignored: the token must never be stored, so a retry makes a new invitation that replaces the first.',
  body: createInvitationSchema,
  responses: { 201: { description: 'The invitation, with its token and link (shown once)', schema: createdInvitationSchema } },
  errors: ['FORBIDDEN', 'MEMBER_ALREADY_EXISTS'],
  idempotent: false,
});

export const listInvitations = defineEndpoint({
  operationId: 'listInvitations',
  method: 'GET',
  path: '/api/v1/invitations',
  tag,
  auth: 'user',
  summary: "The workspace's invitations, newest first",
  description:
    'Owners and admins see every invitation of the workspace, never their tokens; `status` keeps one state (`pending` leaves out expired ones). Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listInvitationsQuerySchema,
  responses: { 200: { description: 'A page of invitations', schema: invitationPageSchema } },
  errors: ['FORBIDDEN'],
});

export const revokeInvitation = defineEndpoint({
  operationId: 'revokeInvitation',
  method: 'DELETE',
  path: '/api/v1/invitations/{id}',
  tag,
  auth: 'user',
  summary: 'Revoke an invitation',
  description:
    'Owners and admins revoke an invitation that was not answered yet; its link stops working at once and it leaves the invited person’s list. Revoking one already revoked answers it unchanged; one already accepted or declined answers 410 INVITATION_ALREADY_USED (remove the member instead). Appends an `invitation-revoked` event.',
  params: idParamsSchema,
  responses: { 200: { description: 'The invitation, revoked', schema: invitationSchema } },
  errors: ['FORBIDDEN', 'INVITATION_NOT_FOUND', 'INVITATION_ALREADY_USED'],
});

export const listMyInvitations = defineEndpoint({
  operationId: 'listMyInvitations',
  method: 'GET',
  path: '/api/v1/invitations/mine',
  tag,
  auth: 'user',
  summary: 'Your pending invitations',
  description:
    'The invitations to your email that are still open, from any workspace, oldest first: who invited you to what, and with which role. Accept or decline each.',
  responses: { 200: { description: 'Pending invitations', schema: receivedInvitationListSchema } },
  errors: [],
});

export const acceptInvitation = defineEndpoint({
  operationId: 'acceptInvitation',
  method: 'POST',
  path: '/api/v1/invitations/{id}/accept',
  tag,
  auth: 'user',
  summary: 'Accept an invitation',
  description:
    'You become a member of the inviting workspace with the invited role. Only the person the invitation is addressed to may accept it; anyone else gets 404. The answer names the workspace and role: sign in with its `workspaceId` to work in it. Appends `invitation-accepted` and `member-added` events.',
  params: idParamsSchema,
  responses: { 200: { description: 'The workspace joined and your role in it', schema: acceptedInvitationSchema } },
  errors: [...closedInvitationErrors, 'MEMBER_ALREADY_EXISTS'],
});

export const declineInvitation = defineEndpoint({
  operationId: 'declineInvitation',
  method: 'POST',
  path: '/api/v1/invitations/{id}/decline',
  tag,
  auth: 'user',
  summary: 'Decline an invitation',
  description:
    'Nobody joins, and the invitation and its link stop working. Only the person it is addressed to may decline it. Appends an `invitation-declined` event.',
  params: idParamsSchema,
  responses: { 200: { description: 'The invitation, declined', schema: receivedInvitationSchema } },
  errors: [...closedInvitationErrors],
});

export const getInvitationByToken = defineEndpoint({
  operationId: 'getInvitationByToken',
  method: 'GET',
  path: '/api/v1/invitation-links/{token}',
  tag,
  auth: 'public',
  summary: 'Look at the invitation an invitation link carries',
  description:
    'No sign-in: the token is the credential. Answers who invited the email to which workspace, with which role, until when. A link that was used, revoked or has expired answers 410 with INVITATION_ALREADY_USED, INVITATION_REVOKED or INVITATION_EXPIRED; an unknown one 404. Limited per address like sign-in.',
  params: invitationTokenParamsSchema,
  responses: { 200: { description: 'The invitation', schema: receivedInvitationSchema } },
  errors: [...closedInvitationErrors],
});

export const acceptInvitationWithToken = defineEndpoint({
  operationId: 'acceptInvitationWithToken',
  method: 'POST',
  path: '/api/v1/invitation-links/{token}/accept',
  tag,
  auth: 'public',
  summary: 'Accept an invitation link, creating your account',
  description:
    'For a person without an account: creates it with the invited email, your `name` and `password`, makes you a member with the invited role, and answers a session like sign-in. If the email already has an account, `password` must be that account’s (401 INVALID_CREDENTIALS otherwise) and its name stays. The link works once; used, revoked or expired links answer 410, unknown ones 404. Limited per address like sign-in. Appends `invitation-accepted` and `member-added` events.',
  params: invitationTokenParamsSchema,
  body: acceptInvitationWithTokenSchema,
  responses: { 200: { description: 'A session in the workspace joined, as sign-in answers it', schema: sessionTokensSchema } },
  errors: [...closedInvitationErrors, 'INVALID_CREDENTIALS', 'MEMBER_ALREADY_EXISTS', 'MFA_SIGN_IN_REQUIRED'],
});
