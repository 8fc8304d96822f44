import { z } from 'zod';
import { agentRuntimeKindSchema, chatRoleSchema, modelProviderSchema } from './agent-runs.js';
import { agentKindSchema, capabilitySchema } from './agents.js';
import { auditEntrySchema } from './audit.js';
import { idSchema, principalKindSchema, textSchema, timestampSchema } from './common.js';
import { documentTypeSchema } from './documents.js';
import { attachmentSchema, emojiSchema, messageTypeSchema } from './messages.js';
import { notificationReasonSchema } from './notifications.js';
import { taskPrioritySchema, taskStatusSchema } from './tasks.js';
import { userSchema, wipLimitsSchema, workspaceRoleSchema } from './workspaces.js';

// ---------------------------------------------------------------------------------------------
// Personal data export (GET /api/v1/me/export)
// ---------------------------------------------------------------------------------------------

/** Bumped when a field changes meaning or goes; new fields may appear within a version. */
export const personalDataExportFormatVersion = 1;

const exportedWorkspaceSchema = z.object({ id: idSchema, name: z.string(), slug: z.string() });

export const personalDataExportSchema = z
  .object({
    formatVersion: z.literal(personalDataExportFormatVersion),
    exportedAt: timestampSchema,
    profile: userSchema,
    memberships: z.array(z.object({ workspace: exportedWorkspaceSchema, role: workspaceRoleSchema, joinedAt: timestampSchema })),
    sessions: z
      .array(
        z.object({
          id: idSchema,
          workspaceId: idSchema,
          createdAt: timestampSchema,
          expiresAt: timestampSchema,
          revokedAt: timestampSchema.nullable(),
        }),
      )
      .describe('Sign-in sessions: times only, never their tokens'),
    apiKeys: z
      .array(
        z.object({
          id: idSchema,
          workspaceId: idSchema,
          name: z.string(),
          prefix: z.string(),
          createdAt: timestampSchema,
          lastUsedAt: timestampSchema.nullable(),
          lastUsedIp: z.string().nullable(),
          expiresAt: timestampSchema.nullable(),
          revokedAt: timestampSchema.nullable(),
        }),
      )
      .describe('Personal API keys: metadata only, never the key or its hash'),
    mfa: z
      .object({ totpEnrolled: z.boolean(), enabledAt: timestampSchema.nullable(), recoveryCodesRemaining: z.number().int() })
      .describe('Whether an authenticator app is enrolled; never its secret or the recovery codes'),
    identities: z.array(
      z.object({ issuer: z.string(), subject: z.string(), email: z.string(), createdAt: timestampSchema, lastSignedInAt: timestampSchema }),
    ),
    messages: z.array(
      z.object({
        id: idSchema,
        workspaceId: idSchema,
        taskId: idSchema,
        type: messageTypeSchema,
        content: z.string(),
        replyToId: idSchema.nullable(),
        createdAt: timestampSchema,
      }),
    ),
    tasks: z.array(
      z.object({
        id: idSchema,
        workspaceId: idSchema,
        number: z.number().int(),
        title: z.string(),
        description: z.string(),
        status: taskStatusSchema,
        priority: taskPrioritySchema,
        createdAt: timestampSchema,
        updatedAt: timestampSchema,
        relations: z.array(z.enum(['creator', 'assignee'])).describe('Why the task is in the export'),
      }),
    ),
    documents: z.array(
      z.object({
        id: idSchema,
        workspaceId: idSchema,
        taskId: idSchema.nullable(),
        title: z.string(),
        type: documentTypeSchema,
        content: z.string(),
        version: z.number().int(),
        createdAt: timestampSchema,
        updatedAt: timestampSchema,
      }),
    ),
    notifications: z.array(
      z.object({
        id: idSchema,
        workspaceId: idSchema,
        taskId: idSchema.nullable(),
        reason: notificationReasonSchema,
        content: z.string(),
        createdAt: timestampSchema,
        readAt: timestampSchema.nullable(),
      }),
    ),
    notificationPreferences: z.array(
      z.object({
        workspaceId: idSchema,
        settings: z.unknown(),
        emailAddress: z.string().nullable(),
        slackConfigured: z.boolean().describe('The incoming-webhook URL itself is a secret and is left out'),
        discordConfigured: z.boolean(),
        updatedAt: timestampSchema,
      }),
    ),
    auditEntries: z.array(auditEntrySchema).describe('Audit entries where the person is the actor, in every workspace'),
    agentChats: z
      .array(
        z.object({
          id: idSchema,
          workspaceId: idSchema,
          agentId: idSchema,
          role: chatRoleSchema.describe('user: what the person wrote; assistant: what the agent answered'),
          content: z.string(),
          createdAt: timestampSchema,
        }),
      )
      // Defaulted so archives exported before chats were included still read.
      .default([])
      .describe('The person’s conversations with built-in agents, in every workspace'),
  })
  .meta({ id: 'PersonalDataExport' });
export type PersonalDataExport = z.infer<typeof personalDataExportSchema>;

// ---------------------------------------------------------------------------------------------
// Erasure (DELETE /api/v1/me, POST /api/v1/members/{userId}/erase)
// ---------------------------------------------------------------------------------------------

/** What a person without a password types to confirm, instead of the password. */
export const accountErasureConfirmation = 'erase my account';

export const eraseAccountSchema = z
  .strictObject({
    password: textSchema().min(1).max(256).optional().describe('The current password (accounts that have one)'),
    confirmation: z
      .literal(accountErasureConfirmation)
      .optional()
      .describe(`Accounts without a password (single sign-on only) send "${accountErasureConfirmation}"`),
  })
  .refine((input) => input.password !== undefined || input.confirmation !== undefined, {
    message: `send your password, or "${accountErasureConfirmation}" as confirmation if your account has none`,
  });
export type EraseAccountInput = z.infer<typeof eraseAccountSchema>;

export const accountErasureSchema = z
  .object({
    userId: idSchema.describe('Kept as the pseudonymous id of what the person did'),
    pseudonym: z.string().describe('The name the account now shows, such as "Deleted user 4f2a9c"'),
    erasedAt: timestampSchema,
    accountErased: z
      .boolean()
      .describe('True when the account itself was pseudonymised; false when only the data in this workspace was (they belong to others)'),
    workspaceIds: z.array(idSchema).describe('The workspaces whose membership was removed'),
  })
  .meta({ id: 'AccountErasure' });
export type AccountErasure = z.infer<typeof accountErasureSchema>;

// ---------------------------------------------------------------------------------------------
// Workspace archive (POST /api/v1/workspace/export, POST /api/v1/workspaces/import)
// ---------------------------------------------------------------------------------------------

export const workspaceArchiveFormatVersion = 1;

/**
 * Who did something, in an archive: an agent by its name (agents travel with the archive), a
 * person by a display name only (people do not: on import, what they did is attributed to the importer).
 */
export const archivedPrincipalSchema = z
  .object({ kind: principalKindSchema, name: textSchema().max(200) })
  .meta({ id: 'ArchivedPrincipal' });
export type ArchivedPrincipal = z.infer<typeof archivedPrincipalSchema>;

/** Ids in an archive are the source's: references inside the archive use them, import gives new ones. */
const archivedIdSchema = idSchema;
const archivedTimestampSchema = timestampSchema;
const archivedTextSchema = textSchema().max(200_000);

export const archivedTaskSchema = z.object({
  id: archivedIdSchema,
  number: z.number().int().min(1),
  title: textSchema().min(1).max(500),
  description: archivedTextSchema,
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  priorityRank: z.number().int().min(0).max(100),
  creator: archivedPrincipalSchema,
  parentId: archivedIdSchema.nullable(),
  dueAt: archivedTimestampSchema.nullable(),
  createdAt: archivedTimestampSchema,
  updatedAt: archivedTimestampSchema,
  completedAt: archivedTimestampSchema.nullable(),
  assignees: z.array(archivedPrincipalSchema).max(100),
  dependsOn: z.array(archivedIdSchema).max(500),
  capabilities: z.array(capabilitySchema).max(100),
});

export const archivedMessageSchema = z.object({
  id: archivedIdSchema,
  taskId: archivedIdSchema,
  author: archivedPrincipalSchema,
  type: messageTypeSchema,
  content: textSchema().max(50_000),
  replyToId: archivedIdSchema.nullable(),
  attachments: z.array(attachmentSchema).max(20),
  reactions: z.array(z.object({ emoji: emojiSchema, reactor: archivedPrincipalSchema, createdAt: archivedTimestampSchema })),
  createdAt: archivedTimestampSchema,
});

const archivedDocumentVersionSchema = z.object({
  version: z.number().int().min(1),
  title: textSchema().min(1).max(500),
  content: archivedTextSchema,
  type: documentTypeSchema,
  author: archivedPrincipalSchema,
  createdAt: archivedTimestampSchema,
});

export const archivedDocumentSchema = archivedDocumentVersionSchema.extend({
  id: archivedIdSchema,
  taskId: archivedIdSchema.nullable(),
  updatedAt: archivedTimestampSchema,
  versions: z.array(archivedDocumentVersionSchema).min(1).describe('Every saved version, oldest first; the last is the current one'),
});

export const archivedAgentSchema = z.object({
  name: textSchema().min(1).max(64),
  role: textSchema().max(200),
  kind: agentKindSchema.describe('A remote (A2A) agent is imported as a specialist: its card and key are not in the archive'),
  sessionKey: textSchema().min(1).max(200),
  capabilities: z.array(capabilitySchema).max(100),
  memoryContext: archivedTextSchema,
  heartbeatIntervalSeconds: z.number().int().min(1),
  concurrencyLimit: z.number().int().min(1),
  createdAt: archivedTimestampSchema,
  runtime: z
    .object({
      runtime: agentRuntimeKindSchema,
      provider: modelProviderSchema.nullable(),
      model: textSchema().max(200).nullable(),
      temperature: z.number().nullable(),
      stepLimit: z.number().int().min(1),
      instructions: archivedTextSchema,
    })
    .nullable()
    .describe('Built-in runtime settings; never its key, and not its repository (a path on the source server)'),
});

export const workspaceArchiveSchema = z
  .object({
    formatVersion: z.literal(workspaceArchiveFormatVersion),
    exportedAt: archivedTimestampSchema,
    workspace: z.object({
      name: textSchema().trim().min(1).max(120),
      slug: textSchema().min(2).max(48),
      taskKeyPrefix: textSchema()
        .min(1)
        .max(10)
        .regex(/^[A-Z][A-Z0-9]*$/),
      wipLimits: wipLimitsSchema,
    }),
    agents: z.array(archivedAgentSchema).max(1_000),
    tasks: z.array(archivedTaskSchema).max(100_000),
    messages: z.array(archivedMessageSchema).max(500_000),
    documents: z.array(archivedDocumentSchema).max(100_000),
  })
  .meta({ id: 'WorkspaceArchive' });
export type WorkspaceArchive = z.infer<typeof workspaceArchiveSchema>;

/**
 * The import body as the route takes it: any JSON object. The server checks it against
 * WorkspaceArchive itself, so that a bad archive answers 422 WORKSPACE_ARCHIVE_INVALID with every
 * problem, rather than 400 for the request.
 */
export const importWorkspaceBodySchema = z
  .looseObject({})
  .describe('A WorkspaceArchive, as POST /api/v1/workspace/export answers it')
  .meta({ id: 'WorkspaceArchiveUpload' });
