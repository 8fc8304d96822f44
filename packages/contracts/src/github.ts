import { z } from 'zod';
import { idSchema, principalReferenceSchema, textSchema, timestampSchema } from './common.js';

const ownerOrRepoSchema = textSchema()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, { message: 'Use the name as GitHub spells it: letters, digits, ".", "-" and "_"' });

const githubLabelSchema = textSchema().trim().min(1).max(100);

/** GitHub label → capability a task needs, such as `{ "frontend": "react" }`. */
export const githubCapabilityMappingSchema = z
  .record(githubLabelSchema, textSchema().trim().min(1).max(64))
  .describe('Issue label → required capability of the task it becomes; labels not listed are ignored');

/** GitHub login → who the task is assigned to. */
export const githubAssigneeMappingSchema = z
  .record(textSchema().trim().min(1).max(100), principalReferenceSchema)
  .describe('GitHub login → the agent or person an issue assigned to that login is assigned to here');

export const githubSyncStatusSchema = z
  .object({
    lastPolledAt: timestampSchema.nullable().describe('When the issues were last asked for (a 304 counts)'),
    lastChangedAt: timestampSchema.nullable().describe('When a poll or a webhook last brought something new'),
    lastError: z.string().nullable().describe('What went wrong the last time, if anything (cleared by the next success)'),
    importedIssues: z.number().int().describe('Issues linked to tasks'),
    openPullRequests: z.number().int().describe('Pull requests opened for tasks and not merged or closed yet'),
  })
  .meta({ id: 'GithubSyncStatus' });

export const githubConnectionSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    owner: z.string(),
    repo: z.string(),
    label: z.string().describe('Open issues with this label become tasks'),
    capabilityMapping: z.record(z.string(), z.string()),
    assigneeMapping: z.record(z.string(), principalReferenceSchema),
    enabled: z.boolean(),
    webhookPath: z.string().describe("Where GitHub's webhook posts: /api/v1/integrations/github/{id}/events"),
    sync: githubSyncStatusSchema,
    createdBy: principalReferenceSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'GithubConnection' });
export type GithubConnection = z.infer<typeof githubConnectionSchema>;

export const githubConnectionWithSecretSchema = githubConnectionSchema
  .extend({
    webhookSecret: z.string().describe("The secret to give GitHub's webhook settings (content type application/json); shown only now"),
  })
  .meta({ id: 'GithubConnectionWithSecret' });
export type GithubConnectionWithSecret = z.infer<typeof githubConnectionWithSecretSchema>;

export const createGithubConnectionSchema = z.strictObject({
  owner: ownerOrRepoSchema.describe('The user or organisation, such as octo-org'),
  repo: ownerOrRepoSchema.describe('The repository name, such as widgets'),
  token: textSchema()
    .trim()
    .min(1)
    .max(500)
    .describe('A token that may read and write issues and pull requests of the repository; stored encrypted, never shown again'),
  label: githubLabelSchema.default('mission-control').describe('Open issues with this label become tasks'),
  capabilityMapping: githubCapabilityMappingSchema.default({}),
  assigneeMapping: githubAssigneeMappingSchema.default({}),
});
export type CreateGithubConnectionInput = z.infer<typeof createGithubConnectionSchema>;

export const updateGithubConnectionSchema = z.strictObject({
  token: textSchema().trim().min(1).max(500).optional().describe('A new token; stored encrypted'),
  label: githubLabelSchema.optional(),
  capabilityMapping: githubCapabilityMappingSchema.optional(),
  assigneeMapping: githubAssigneeMappingSchema.optional(),
  enabled: z.boolean().optional().describe('A disabled connection neither polls, nor comments, nor accepts webhooks'),
});
export type UpdateGithubConnectionInput = z.infer<typeof updateGithubConnectionSchema>;

export const githubSyncResultSchema = z
  .object({
    notModified: z.boolean().describe('GitHub answered 304 to the issue listing: nothing changed since the last poll'),
    imported: z.number().int().describe('New tasks made from issues'),
    updated: z.number().int().describe('Tasks whose title or description followed their issue'),
    comments: z.number().int().describe('Issue comments posted as messages'),
    merged: z.number().int().describe('Tasks moved to done because their pull request was merged'),
  })
  .meta({ id: 'GithubSyncResult' });
export type GithubSyncResult = z.infer<typeof githubSyncResultSchema>;

export const githubEventParamsSchema = z.object({ id: idSchema });

/** Whatever GitHub posts; the `X-GitHub-Event` header says which kind. */
export const githubWebhookPayloadSchema = z.record(textSchema(), z.unknown()).describe("GitHub's webhook payload");

export const githubWebhookResultSchema = z
  .object({
    accepted: z.boolean().describe('False when the event is of a kind or for an issue this connection ignores'),
    event: z.string(),
  })
  .meta({ id: 'GithubWebhookResult' });

export const searchGithubQuerySchema = z.strictObject({
  q: textSchema().trim().min(1).max(256).describe('GitHub code search terms; the repository qualifier is added for you'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const githubCodeMatchSchema = z
  .object({
    path: z.string(),
    sha: z.string(),
    url: z.string().describe('The file on GitHub'),
  })
  .meta({ id: 'GithubCodeMatch' });

export const githubSearchResultSchema = z
  .object({ totalCount: z.number().int(), items: z.array(githubCodeMatchSchema) })
  .meta({ id: 'GithubSearchResult' });
export type GithubSearchResult = z.infer<typeof githubSearchResultSchema>;

export const readGithubFileQuerySchema = z.strictObject({
  path: textSchema().trim().min(1).max(1_000).describe('The file path in the repository, such as src/index.ts'),
  ref: textSchema().trim().min(1).max(250).optional().describe('A branch, tag or commit; the default branch when left out'),
});

export const githubFileSchema = z
  .object({
    path: z.string(),
    ref: z.string().nullable(),
    sha: z.string(),
    size: z.number().int(),
    content: z.string().describe('The file as UTF-8 text, cut at 200,000 characters'),
    truncated: z.boolean(),
  })
  .meta({ id: 'GithubFile' });
export type GithubFile = z.infer<typeof githubFileSchema>;
