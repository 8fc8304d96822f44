import { z } from 'zod';
import { idSchema, pageQuerySchema, pageSchema, principalReferenceSchema, textSchema, timestampSchema } from './common.js';
import { emailSchema, passwordSchema, workspaceRoleSchema, workspaceSchema } from './workspaces.js';

/**
 * Where an invitation stands. `expired` is never stored: a pending invitation past its
 * `expiresAt` reads as expired.
 */
export const invitationStatusSchema = z.enum(['pending', 'accepted', 'declined', 'revoked', 'expired']);
export type InvitationStatus = z.infer<typeof invitationStatusSchema>;

/** Nobody is invited as owner: an owner promotes a member afterwards. */
export const invitationRoleSchema = workspaceRoleSchema.exclude(['owner']);
export type InvitationRole = z.infer<typeof invitationRoleSchema>;

/** An invitation as the workspace's owners and admins see it. It says nothing about whether the email has an account. */
export const invitationSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    email: z.email(),
    role: invitationRoleSchema,
    status: invitationStatusSchema,
    expiresAt: timestampSchema,
    createdAt: timestampSchema,
    invitedBy: principalReferenceSchema,
    respondedAt: timestampSchema.nullable().describe('When it was accepted, declined or revoked'),
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof invitationSchema>;

/** An invitation as the invited person sees it: who invited them to what. */
export const receivedInvitationSchema = z
  .object({
    id: idSchema,
    email: z.email(),
    role: invitationRoleSchema,
    status: invitationStatusSchema,
    expiresAt: timestampSchema,
    createdAt: timestampSchema,
    workspace: z.object({ id: idSchema, name: z.string() }),
    invitedBy: z.object({ id: idSchema, name: z.string() }),
  })
  .meta({ id: 'ReceivedInvitation' });
export type ReceivedInvitation = z.infer<typeof receivedInvitationSchema>;

export const createInvitationSchema = z.strictObject({
  email: emailSchema,
  role: invitationRoleSchema.default('member'),
});
export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

/** A new invitation: the token and its link appear here once and are never shown again. */
export const createdInvitationSchema = z
  .object({
    invitation: invitationSchema,
    token: z.string().describe('Single use; stored only as a hash. Hand it (or acceptUrl) to the invited person now'),
    acceptUrl: z
      .string()
      .describe('The dashboard page that accepts the invitation: absolute when the server knows its public URL, else /invite/<token>'),
  })
  .meta({ id: 'CreatedInvitation' });
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

export const listInvitationsQuerySchema = pageQuerySchema.extend({
  status: invitationStatusSchema.optional().describe('Only invitations in this state'),
});
export type ListInvitationsQuery = z.infer<typeof listInvitationsQuerySchema>;

/** A page of the workspace's invitations, newest first. */
export const invitationPageSchema = pageSchema(invitationSchema);

/** The signed-in person's pending invitations, oldest first. */
export const receivedInvitationListSchema = z.object({ data: z.array(receivedInvitationSchema) });

export const invitationTokenParamsSchema = z.object({
  token: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'an invitation token is letters, digits, - and _' }),
});

export const acceptInvitationWithTokenSchema = z.strictObject({
  name: textSchema().trim().min(1).max(120).describe('Your name, for a new account; an existing account keeps its own'),
  password: passwordSchema.describe('A new password, or the password of the account that already has this email'),
});
export type AcceptInvitationWithTokenInput = z.infer<typeof acceptInvitationWithTokenSchema>;

/** What accepting answers: the workspace joined and the role in it (sign in with its id to switch to it). */
export const acceptedInvitationSchema = z
  .object({
    invitation: receivedInvitationSchema,
    workspace: workspaceSchema,
    role: invitationRoleSchema,
  })
  .meta({ id: 'AcceptedInvitation' });
export type AcceptedInvitation = z.infer<typeof acceptedInvitationSchema>;
