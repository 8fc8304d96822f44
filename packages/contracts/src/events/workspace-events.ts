import { z } from 'zod';
import { idSchema } from '../common.js';
import { wipLimitsSchema, workspaceRoleSchema } from '../workspaces.js';
import { defineEvent } from './event-base.js';

export const workspaceCreatedEventSchema = defineEvent(
  'workspace-created',
  { id: 'WorkspaceCreatedEvent', description: 'The workspace was created (on first start, or by a user); it is its first event.' },
  {},
);

export const workspaceUpdatedEventSchema = defineEvent(
  'workspace-updated',
  { id: 'WorkspaceUpdatedEvent', description: 'An owner or admin renamed the workspace or changed its work-in-progress limits.' },
  {
    fields: z.array(z.enum(['name', 'wipLimits'])).describe('What changed'),
    name: z.string(),
    wipLimits: wipLimitsSchema,
  },
);

export const memberAddedEventSchema = defineEvent(
  'member-added',
  { id: 'MemberAddedEvent', description: 'A user joined the workspace with a role.' },
  { userId: idSchema, role: workspaceRoleSchema },
);

export const memberUpdatedEventSchema = defineEvent(
  'member-updated',
  {
    id: 'MemberUpdatedEvent',
    description: "A member's role changed (a built-in role, or a custom role and the built-in role it narrows).",
  },
  {
    userId: idSchema,
    role: workspaceRoleSchema,
    previousRole: workspaceRoleSchema,
    customRoleId: idSchema.nullable().optional().describe('The custom role now held, or null'),
  },
);

export const memberRemovedEventSchema = defineEvent(
  'member-removed',
  { id: 'MemberRemovedEvent', description: 'A member left or was removed; their sessions in the workspace were revoked.' },
  { userId: idSchema },
);

export const memberErasedEventSchema = defineEvent(
  'member-erased',
  {
    id: 'MemberErasedEvent',
    description:
      "A person's personal data in the workspace was erased (by themselves or an owner): keys revoked, sessions ended, membership removed; what they wrote stays under a pseudonym.",
  },
  {
    userId: idSchema.describe('The pseudonymous id their past actions keep'),
    pseudonym: z.string().nullable().describe('The name the account shows now, when the account itself was erased; otherwise null'),
    accountErased: z.boolean(),
  },
);

export const workspaceImportedEventSchema = defineEvent(
  'workspace-imported',
  { id: 'WorkspaceImportedEvent', description: 'The workspace was restored from an archive (right after its workspace-created event).' },
  {
    agents: z.number().int(),
    tasks: z.number().int(),
    messages: z.number().int(),
    documents: z.number().int(),
    exportedAt: z.string().describe('When the archive was made'),
  },
);

export const workingStateUpdatedEventSchema = defineEvent(
  'working-state-updated',
  { id: 'WorkingStateUpdatedEvent', description: 'The notes of WORKING.md were saved as a new version, or an older version was restored.' },
  {
    version: z.number().int(),
    previousVersion: z.number().int(),
    notesLength: z.number().int().describe('Characters in the new notes'),
    restoredFrom: z.number().int().optional().describe('The version restored, when it was a restore'),
  },
);

export const workspaceEventSchemas = [
  workspaceCreatedEventSchema,
  workspaceUpdatedEventSchema,
  memberAddedEventSchema,
  memberUpdatedEventSchema,
  memberRemovedEventSchema,
  memberErasedEventSchema,
  workspaceImportedEventSchema,
  workingStateUpdatedEventSchema,
] as const;
