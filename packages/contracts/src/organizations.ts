import { z } from 'zod';
import { idSchema, principalKindSchema, textSchema, timestampSchema } from './common.js';

/** What a person may do in an organisation: owners change its settings and limits, admins run its teams. */
export const organizationRoleSchema = z.enum(['owner', 'admin', 'member']);
export type OrganizationRole = z.infer<typeof organizationRoleSchema>;

const limitSchema = (description: string, max: number) => z.int().min(0).max(max).nullable().describe(description);

/** What an organisation may use; null is no limit. */
export const organizationLimitsSchema = z
  .object({
    maxAgents: limitSchema('Most agents, all its workspaces together; creating one more answers 403 ORGANIZATION_LIMIT_REACHED', 100_000),
    maxWorkspaces: limitSchema('Most workspaces; creating or importing one more answers 403 ORGANIZATION_LIMIT_REACHED', 10_000),
    monthlyTokenLimit: limitSchema('Most model tokens a month (UTC), all its built-in agents together; past it their turns stop', 1e15),
    monthlyCostLimitMicroDollars: limitSchema(
      'Most model cost a month (UTC), in millionths of a dollar; past it built-in agents stop',
      1e15,
    ),
    requestsPerMinute: limitSchema(
      'Most API requests a minute, all its people and agents together; past it requests answer 429',
      1_000_000,
    ),
  })
  .meta({ id: 'OrganizationLimits' });
export type OrganizationLimits = z.infer<typeof organizationLimitsSchema>;

/** What an organisation used against its limits: now, and this month (UTC). */
export const organizationUsageSchema = z
  .object({
    agents: z.int(),
    workspaces: z.int(),
    monthTokens: z.number(),
    monthCostMicroDollars: z.number(),
    period: z.string().describe('The month the token and cost counts are for, such as 2026-12'),
  })
  .meta({ id: 'OrganizationUsage' });
export type OrganizationUsage = z.infer<typeof organizationUsageSchema>;

/** An organisation's own single sign-on provider, as anyone in it may read it (never the client secret). */
export const organizationSsoSchema = z
  .object({
    issuer: z.string().describe('The OpenID Connect issuer URL'),
    clientId: z.string(),
    providerName: z.string().describe('What the sign-in button says after “Sign in with”'),
    allowedEmailDomains: z.array(z.string()).describe('Email domains that may sign in this way; any when empty'),
    updatedAt: timestampSchema,
  })
  .meta({ id: 'OrganizationSso' });
export type OrganizationSso = z.infer<typeof organizationSsoSchema>;

export const configureOrganizationSsoSchema = z.strictObject({
  issuer: textSchema()
    .max(2_000)
    .regex(/^https?:\/\/\S+$/, 'issuer must be the provider’s URL, such as https://login.example.com/')
    .describe('The OpenID Connect issuer URL; its /.well-known/openid-configuration must answer'),
  clientId: textSchema().trim().min(1).max(500),
  clientSecret: textSchema().min(1).max(2_000).describe('Stored sealed; never answered back'),
  providerName: textSchema().trim().min(1).max(60),
  allowedEmailDomains: z
    .array(
      textSchema()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'an email domain such as example.com'),
    )
    .max(50)
    .default([]),
});
export type ConfigureOrganizationSsoInput = z.infer<typeof configureOrganizationSsoSchema>;

export const organizationSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    slug: z.string(),
    role: organizationRoleSchema.describe('Your role in it'),
    limits: organizationLimitsSchema,
    usage: organizationUsageSchema,
    passwordSignInDisabled: z.boolean().describe('Members sign in with single sign-on only; API keys keep working'),
    mfaRequired: z.boolean().describe('Members without a second factor must enrol one before they can do anything else'),
    sso: organizationSsoSchema.nullable().describe('Its own single sign-on provider, or null'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof organizationSchema>;

export const organizationListSchema = z.object({ data: z.array(organizationSchema) });

const organizationNameSchema = textSchema().trim().min(1).max(120);
const slugSchema = textSchema()
  .trim()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'slugs are lowercase letters, digits and dashes' });

export const createOrganizationSchema = z.strictObject({
  name: organizationNameSchema,
  slug: slugSchema.optional().describe('Defaults to a slug of the name'),
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationSchema>;

/** What an owner can change; a field left out keeps its value, a limit set to null is removed. */
export const updateOrganizationSchema = z
  .strictObject({
    name: organizationNameSchema.optional(),
    limits: organizationLimitsSchema.partial().strict().optional(),
    passwordSignInDisabled: z.boolean().optional(),
    mfaRequired: z.boolean().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, {
    message: 'Send at least one of name, limits, passwordSignInDisabled or mfaRequired',
  });
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationSchema>;

export const organizationMemberSchema = z
  .object({
    userId: idSchema,
    name: z.string(),
    email: z.string(),
    role: organizationRoleSchema,
    mfaEnrolled: z.boolean().describe('Whether they have a second factor (for organisations that require one)'),
    joinedAt: timestampSchema,
  })
  .meta({ id: 'OrganizationMember' });
export type OrganizationMember = z.infer<typeof organizationMemberSchema>;

export const organizationMemberListSchema = z.object({ data: z.array(organizationMemberSchema) });

export const updateOrganizationMemberSchema = z.strictObject({ role: organizationRoleSchema });
export type UpdateOrganizationMemberInput = z.infer<typeof updateOrganizationMemberSchema>;

/** The roles a team can hold on a workspace: owners are always named people, never a team. */
export const teamWorkspaceRoleSchema = z.enum(['admin', 'member', 'viewer']);
export type TeamWorkspaceRole = z.infer<typeof teamWorkspaceRoleSchema>;

export const teamMemberSchema = z
  .object({
    kind: principalKindSchema,
    id: idSchema,
    name: z.string().describe('The person’s or agent’s name'),
    workspaceId: idSchema.nullable().describe('The workspace of an agent; null for a person'),
    addedAt: timestampSchema,
  })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const teamWorkspaceAccessSchema = z
  .object({
    workspaceId: idSchema,
    workspaceName: z.string(),
    role: teamWorkspaceRoleSchema,
    customRole: z.object({ id: idSchema, name: z.string() }).nullable(),
    grantedAt: timestampSchema,
  })
  .meta({ id: 'TeamWorkspaceAccess' });
export type TeamWorkspaceAccess = z.infer<typeof teamWorkspaceAccessSchema>;

export const teamSchema = z
  .object({
    id: idSchema,
    organizationId: idSchema,
    name: z.string(),
    description: z.string(),
    members: z.array(teamMemberSchema),
    workspaces: z.array(teamWorkspaceAccessSchema).describe('The workspaces its people are members of through it, and as what'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof teamSchema>;

export const teamListSchema = z.object({ data: z.array(teamSchema) });

const teamNameSchema = textSchema().trim().min(1).max(80);

export const createTeamSchema = z.strictObject({
  name: teamNameSchema,
  description: textSchema().trim().max(500).default(''),
});
export type CreateTeamInput = z.infer<typeof createTeamSchema>;

export const updateTeamSchema = z
  .strictObject({ name: teamNameSchema.optional(), description: textSchema().trim().max(500).optional() })
  .refine((input) => Object.keys(input).length > 0, { message: 'Send name, description or both' });
export type UpdateTeamInput = z.infer<typeof updateTeamSchema>;

export const addTeamMemberSchema = z.strictObject({
  kind: principalKindSchema.describe('user for a person of the organisation, agent for an agent of one of its workspaces'),
  id: idSchema,
});
export type AddTeamMemberInput = z.infer<typeof addTeamMemberSchema>;

export const grantTeamAccessSchema = z.union([
  z.strictObject({ role: teamWorkspaceRoleSchema }),
  z.strictObject({ customRoleId: idSchema.describe('A custom role of that workspace (GET /api/v1/roles)') }),
]);
export type GrantTeamAccessInput = z.infer<typeof grantTeamAccessSchema>;
