import { z } from 'zod';
import { idSchema, principalKindSchema } from '../common.js';
import { organizationLimitsSchema } from '../organizations.js';
import { defineEvent } from './event-base.js';

export const organizationUpdatedEventSchema = defineEvent(
  'organization-updated',
  {
    id: 'OrganizationUpdatedEvent',
    description:
      'An owner renamed the organisation this workspace belongs to, or changed its limits or sign-in rules; appended to each of its workspaces.',
  },
  {
    organizationId: idSchema,
    name: z.string(),
    fields: z.array(z.enum(['name', 'limits', 'passwordSignInDisabled', 'mfaRequired', 'sso'])).describe('What changed'),
    limits: organizationLimitsSchema,
    passwordSignInDisabled: z.boolean(),
    mfaRequired: z.boolean(),
  },
);

const teamData = { organizationId: idSchema, teamId: idSchema, name: z.string() };

export const teamCreatedEventSchema = defineEvent(
  'team-created',
  { id: 'TeamCreatedEvent', description: 'A team was created in the organisation; appended to each of its workspaces.' },
  teamData,
);

export const teamUpdatedEventSchema = defineEvent(
  'team-updated',
  {
    id: 'TeamUpdatedEvent',
    description:
      'A team was renamed, gained or lost a member, or was given or lost a role on a workspace; appended to the workspaces it touches.',
  },
  {
    ...teamData,
    change: z.enum(['renamed', 'member-added', 'member-removed', 'access-granted', 'access-revoked']),
    member: z.object({ kind: principalKindSchema, id: idSchema }).nullable().describe('The person or agent added or removed'),
    workspaceId: idSchema.nullable().describe('The workspace given or taken away'),
  },
);

export const teamDeletedEventSchema = defineEvent(
  'team-deleted',
  { id: 'TeamDeletedEvent', description: 'A team was deleted; what it gave its people was taken back.' },
  teamData,
);

export const organizationEventSchemas = [
  organizationUpdatedEventSchema,
  teamCreatedEventSchema,
  teamUpdatedEventSchema,
  teamDeletedEventSchema,
] as const;
