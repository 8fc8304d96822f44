import { z } from 'zod';
import { idSchema, pageQuerySchema, pageSchema, principalKindSchema, textSchema, timestampSchema } from './common.js';

/** Every privileged or security-relevant action the audit log records. */
export const auditActionSchema = z
  .enum([
    'auth.signed-in',
    'auth.sign-in-failed',
    'api-key.created',
    'api-key.revoked',
    'api-key.rotated',
    'member.added',
    'member.role-changed',
    'member.removed',
    'role.created',
    'role.updated',
    'role.deleted',
    'organization.created',
    'organization.updated',
    'organization.sso-configured',
    'organization.sso-removed',
    'organization.member-role-changed',
    'team.created',
    'team.updated',
    'team.deleted',
    'invitation.created',
    'invitation.revoked',
    'budget.created',
    'budget.updated',
    'budget.deleted',
    'webhook.created',
    'webhook.updated',
    'webhook.deleted',
    'webhook.secret-rotated',
    'agent.deleted',
    'task.deleted',
    'audit-log.exported',
    'audit-log.settings-changed',
    'audit-log.purged',
    'workspace.updated',
    'retention.updated',
    'retention.purged',
    'personal-data.exported',
    'account.erased',
    'member.erased',
    'workspace.exported',
    'workspace.imported',
    'listing.installed',
    'listing.upgraded',
    'listing.uninstalled',
    'listing.figures-consent-changed',
    'credits.granted',
    'credits.bought',
    'credits.spent',
    'credits.refunded',
    'rental.started',
    'rental.released',
    'rental.disputed',
    'rental.dispute-resolved',
    'subscription.started',
    'subscription.updated',
    'subscription.stopped',
    'subscription.resumed',
    'subscription.ended',
    'usage.charged',
    'payout.requested',
    'payout.paid',
    'payout.failed',
    'payout-account.set',
  ])
  .meta({ id: 'AuditAction' });
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Who did it: a user, an agent, or the platform itself (the retention job; a failed sign-in names nobody). */
export const auditActorSchema = z
  .object({ kind: z.enum([...principalKindSchema.options, 'system']), id: z.string().nullable() })
  .meta({ id: 'AuditActor' });
export type AuditActor = z.infer<typeof auditActorSchema>;

/** Changed fields before and after (secrets never appear here). */
export const auditFieldsSchema = z.record(z.string(), z.unknown());

export const auditEntrySchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    at: timestampSchema,
    actor: auditActorSchema,
    action: auditActionSchema,
    targetKind: z
      .string()
      .describe(
        'What was acted on: user, api-key, invitation, budget, webhook, agent, task, audit-log, workspace, role, organization, team',
      ),
    targetId: z.string().nullable(),
    summary: z.string(),
    ip: z.string().nullable().describe('The address the request came from (after trusted proxies)'),
    userAgent: z.string().nullable(),
    before: auditFieldsSchema.nullable().describe('The changed fields before the action'),
    after: auditFieldsSchema.nullable().describe('The changed fields after the action'),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const auditFilterShape = {
  actor: textSchema().min(1).max(64).optional().describe('Only entries by this user or agent id (or `system`)'),
  action: auditActionSchema.optional().describe('Only entries of this action'),
  from: timestampSchema.optional().describe('Only entries at or after this instant'),
  to: timestampSchema.optional().describe('Only entries before this instant'),
};

export const listAuditLogQuerySchema = pageQuerySchema.extend(auditFilterShape);
export type ListAuditLogQuery = z.infer<typeof listAuditLogQuerySchema>;

export const exportAuditLogQuerySchema = z.strictObject({
  ...auditFilterShape,
  format: z.enum(['json', 'csv']).default('json').describe('`csv` answers text/csv with one row per entry'),
});
export type ExportAuditLogQuery = z.infer<typeof exportAuditLogQuerySchema>;

export const auditLogPageSchema = pageSchema(auditEntrySchema);
export const auditLogExportSchema = z.object({ data: z.array(auditEntrySchema) });

export const auditLogSettingsSchema = z
  .object({ retentionDays: z.number().int().min(1).max(3650).describe('Entries older than this are purged (checked every hour)') })
  .meta({ id: 'AuditLogSettings' });
export type AuditLogSettings = z.infer<typeof auditLogSettingsSchema>;
export const updateAuditLogSettingsSchema = z.strictObject({ retentionDays: z.number().int().min(1).max(3650) });
export type UpdateAuditLogSettingsInput = z.infer<typeof updateAuditLogSettingsSchema>;
