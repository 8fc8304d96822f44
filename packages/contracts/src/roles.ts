import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';
import { apiKeyScopeSchema } from './scopes.js';

/** The built-in roles a custom role can narrow: an owner is always a full owner. */
export const customRoleBaseSchema = z
  .enum(['admin', 'member', 'viewer'])
  .describe('The built-in role it narrows: its holder can do at most what this role can, and only through the listed permissions');
export type CustomRoleBase = z.infer<typeof customRoleBaseSchema>;

const permissionListSchema = z
  .array(apiKeyScopeSchema)
  .min(1)
  .max(200)
  .describe('The permission names (GET /api/v1/permissions) its holders may use; every other endpoint answers 403');

/** A workspace's own role: a built-in role narrowed to a named set of permissions. */
export const customRoleSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    description: z.string(),
    baseRole: customRoleBaseSchema,
    permissions: z.array(z.string()),
    memberCount: z.number().int().describe('How many members hold it'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'CustomRole' });
export type CustomRole = z.infer<typeof customRoleSchema>;

/** A built-in role, as GET /api/v1/roles lists it beside the custom ones. */
export const builtInRoleSchema = z
  .object({
    name: z.enum(['owner', 'admin', 'member', 'viewer']),
    description: z.string(),
  })
  .meta({ id: 'BuiltInRole' });
export type BuiltInRole = z.infer<typeof builtInRoleSchema>;

export const roleListSchema = z.object({
  builtIn: z.array(builtInRoleSchema),
  data: z.array(customRoleSchema).describe('The custom roles, by name'),
});
export type RoleList = z.infer<typeof roleListSchema>;

const roleNameSchema = textSchema()
  .trim()
  .min(1)
  .max(60)
  .refine((name) => !['owner', 'admin', 'member', 'viewer'].includes(name.toLowerCase()), {
    message: 'Pick a name other than the built-in owner, admin, member and viewer',
  });

export const createCustomRoleSchema = z.strictObject({
  name: roleNameSchema,
  description: textSchema().trim().max(500).default(''),
  baseRole: customRoleBaseSchema,
  permissions: permissionListSchema,
});
export type CreateCustomRoleInput = z.infer<typeof createCustomRoleSchema>;

/** What can change; the base role cannot (create another role instead), so holders never gain a role silently. */
export const updateCustomRoleSchema = z
  .strictObject({
    name: roleNameSchema.optional(),
    description: textSchema().trim().max(500).optional(),
    permissions: permissionListSchema.optional(),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'Send at least one of name, description or permissions' });
export type UpdateCustomRoleInput = z.infer<typeof updateCustomRoleSchema>;

/** The custom role a member holds, named. */
export const memberCustomRoleSchema = z.object({ id: idSchema, name: z.string() }).nullable();
