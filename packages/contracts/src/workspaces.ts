import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';
import { memberCustomRoleSchema } from './roles.js';
import type { boardColumns } from './tasks.js';

export const workspaceRoleSchema = z.enum(['owner', 'admin', 'member', 'viewer']);
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>;

/** The board columns a work-in-progress limit can be set on: the open ones (done only grows). */
export const wipLimitColumns = ['inbox', 'assigned', 'in_progress', 'review'] as const satisfies readonly (typeof boardColumns)[number][];
export const wipLimitColumnSchema = z.enum(wipLimitColumns);
export type WipLimitColumn = z.infer<typeof wipLimitColumnSchema>;

/** Work-in-progress limits by column; a column left out has none. */
export const wipLimitsSchema = z
  .partialRecord(wipLimitColumnSchema, z.int().min(1).max(999))
  .describe('Most tasks a column should hold; over it, the board warns (nothing is refused)')
  .meta({ id: 'WipLimits' });
export type WipLimits = z.infer<typeof wipLimitsSchema>;

export const workspaceSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    slug: z.string(),
    taskKeyPrefix: z.string(),
    // Defaulted so this SDK still reads a workspace from a server older than the limits.
    wipLimits: wipLimitsSchema.default({}),
    // Optional so this SDK still reads a workspace from a server older than organisations.
    organizationId: idSchema.optional().describe('The organisation that owns it'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof workspaceSchema>;

export const userSchema = z
  .object({
    id: idSchema,
    email: z.email(),
    name: z.string(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const memberSchema = z
  .object({
    user: userSchema,
    role: workspaceRoleSchema.describe('The built-in role; with a custom role, the one it narrows'),
    customRole: memberCustomRoleSchema.describe('The custom role the member holds, or null'),
    directRole: workspaceRoleSchema
      .nullable()
      .optional()
      .describe('The role given to them as a person; null when they are a member only through teams'),
    teamRole: workspaceRoleSchema.nullable().optional().describe('The highest role their teams give them here, or null'),
    joinedAt: timestampSchema,
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof memberSchema>;

export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());
export const passwordSchema = textSchema().min(10, { message: 'password must be at least 10 characters' }).max(256);

export const updateMemberSchema = z.union([
  z.strictObject({ role: workspaceRoleSchema.describe('A built-in role; clears any custom role') }),
  z.strictObject({ customRoleId: idSchema.describe('A custom role of this workspace (GET /api/v1/roles)') }),
]);
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

export const userIdParamsSchema = z.object({ userId: idSchema });

export const createWorkspaceSchema = z.strictObject({
  name: textSchema().trim().min(1).max(120),
  slug: textSchema()
    .trim()
    .min(2)
    .max(48)
    .regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'slugs are lowercase letters, digits and dashes' })
    .optional()
    .describe('Defaults to a slug of the name'),
  taskKeyPrefix: textSchema()
    .trim()
    .min(1)
    .max(10)
    .regex(/^[A-Z][A-Z0-9]*$/, { message: 'task key prefixes are uppercase letters and digits, such as TASK or OPS' })
    .default('TASK'),
  organizationId: idSchema
    .optional()
    .describe('The organisation it belongs to (you must be one of its owners or admins); defaults to the current workspace’s'),
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

/** What an owner or admin can change about a workspace; a field left out keeps its value. */
export const updateWorkspaceSchema = z
  .strictObject({
    name: createWorkspaceSchema.shape.name.optional(),
    wipLimits: z
      .partialRecord(wipLimitColumnSchema, z.int().min(1).max(999).nullable())
      .describe('Per column: a limit sets it, null removes it; columns left out keep theirs')
      .optional(),
  })
  .refine((input) => input.name !== undefined || input.wipLimits !== undefined, { message: 'send name, wipLimits or both' });
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceSchema>;

export const workspaceMembershipSchema = z.object({ workspace: workspaceSchema, role: workspaceRoleSchema });

/** The workspaces a person belongs to, with the role in each. */
export const workspaceMembershipListSchema = z.object({ data: z.array(workspaceMembershipSchema) });

/** The people of a workspace. */
export const memberListSchema = z.object({ data: z.array(memberSchema) });
