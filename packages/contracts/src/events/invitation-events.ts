import { idSchema, timestampSchema } from '../common.js';
import { invitationRoleSchema } from '../invitations.js';
import { defineEvent } from './event-base.js';

// The invited email stays out of these events: the feed is read by every member and agent,
// and a person who has not accepted has not agreed to be listed there.

export const invitationCreatedEventSchema = defineEvent(
  'invitation-created',
  { id: 'InvitationCreatedEvent', description: 'An owner or admin invited someone to the workspace with a role.' },
  { invitationId: idSchema, role: invitationRoleSchema, expiresAt: timestampSchema },
);

export const invitationAcceptedEventSchema = defineEvent(
  'invitation-accepted',
  { id: 'InvitationAcceptedEvent', description: 'The invited person accepted and became a member (a `member-added` event follows).' },
  { invitationId: idSchema, userId: idSchema, role: invitationRoleSchema },
);

export const invitationDeclinedEventSchema = defineEvent(
  'invitation-declined',
  { id: 'InvitationDeclinedEvent', description: 'The invited person declined; nobody joined.' },
  { invitationId: idSchema },
);

export const invitationRevokedEventSchema = defineEvent(
  'invitation-revoked',
  {
    id: 'InvitationRevokedEvent',
    description:
      'An owner or admin revoked a pending invitation, or a new invitation to the same email replaced it; its link stopped working.',
  },
  { invitationId: idSchema },
);

export const invitationEventSchemas = [
  invitationCreatedEventSchema,
  invitationAcceptedEventSchema,
  invitationDeclinedEventSchema,
  invitationRevokedEventSchema,
] as const;
