import { z } from 'zod';
import {
  auditLogExportSchema,
  auditLogPageSchema,
  auditLogSettingsSchema,
  exportAuditLogQuerySchema,
  listAuditLogQuerySchema,
  updateAuditLogSettingsSchema,
} from '../audit.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'audit';

export const listAuditLog = defineEndpoint({
  operationId: 'listAuditLog',
  method: 'GET',
  path: '/api/v1/audit-log',
  tag,
  auth: 'user',
  summary: 'The audit trail, newest first',
  description:
    'Every privileged or security-relevant action of the workspace (sign-ins and failed sign-ins, keys, members and roles, invitations, budgets, webhooks, deletions, exports) with its actor, address, user agent, target and the changed fields before and after. Only owners and admins read it (403 FORBIDDEN for members, viewers and agents). Filter by `actor` (a user or agent id, or `system`), `action`, `from` and `to`. Entries cannot be changed or deleted through any API; entries older than the retention (GET /api/v1/audit-log/settings) are purged every hour, and the purge is itself recorded. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listAuditLogQuerySchema,
  responses: { 200: { description: 'A page of audit entries', schema: auditLogPageSchema } },
  errors: ['FORBIDDEN'],
});

export const exportAuditLog = defineEndpoint({
  operationId: 'exportAuditLog',
  method: 'GET',
  path: '/api/v1/audit-log/export',
  tag,
  auth: 'user',
  summary: 'Export the audit trail as JSON or CSV',
  description:
    'Every entry matching the filters, oldest first, up to 100,000 entries (narrow `from`/`to` for more): JSON by default, CSV with `format=csv` (or `Accept: text/csv`), with a Content-Disposition file name. Owners and admins only. The export itself is recorded as an `audit-log.exported` entry.',
  query: exportAuditLogQuerySchema,
  responses: {
    200: {
      description: 'The entries; with format=csv, a CSV file',
      schema: auditLogExportSchema,
      alternatives: { 'text/csv': z.string() },
    },
  },
  errors: ['FORBIDDEN'],
});

export const getAuditLogSettings = defineEndpoint({
  operationId: 'getAuditLogSettings',
  method: 'GET',
  path: '/api/v1/audit-log/settings',
  tag,
  auth: 'user',
  summary: 'How long audit entries are kept',
  description: 'The retention of the workspace: 365 days unless an owner changed it. Owners and admins only.',
  responses: { 200: { description: 'The settings', schema: auditLogSettingsSchema } },
  errors: ['FORBIDDEN'],
});

export const updateAuditLogSettings = defineEndpoint({
  operationId: 'updateAuditLogSettings',
  method: 'PUT',
  path: '/api/v1/audit-log/settings',
  tag,
  auth: 'user',
  summary: 'Change how long audit entries are kept',
  description:
    'Only owners change the retention (1 to 3650 days; 403 FORBIDDEN for everyone else). Entries older than the new retention go at the next hourly purge. Recorded as an `audit-log.settings-changed` entry with the days before and after.',
  body: updateAuditLogSettingsSchema,
  responses: { 200: { description: 'The new settings', schema: auditLogSettingsSchema } },
  errors: ['FORBIDDEN'],
});
