import { type AuditEntry, type AuditLogSettings, endpoints } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Filters of `auditLog.list`: actor id (or `system`), action, from, to, and the page size. */
export type ListAuditLogOptions = Omit<z.input<typeof endpoints.listAuditLog.query>, 'cursor'>;
/** Filters of `auditLog.export` (JSON; ask the API with format=csv for a file). */
export type ExportAuditLogOptions = Omit<z.input<typeof endpoints.exportAuditLog.query>, 'format'>;

/** The audit trail, for owners and admins (`/audit-log`). */
export class AuditLogResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.auditLog`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists entries, newest first. */
  list(options: ListAuditLogOptions = {}): PageIterator<AuditEntry> {
    return new PageIterator((cursor) => this.context.transport.call(endpoints.listAuditLog, { query: { ...options, cursor } }));
  }

  /** Every matching entry, oldest first (the export is itself recorded). */
  async export(options: ExportAuditLogOptions = {}): Promise<AuditEntry[]> {
    return (await this.context.transport.call(endpoints.exportAuditLog, { query: { ...options, format: 'json' } })).data;
  }

  /** How long entries are kept. */
  settings(): Promise<AuditLogSettings> {
    return this.context.transport.call(endpoints.getAuditLogSettings);
  }

  /** Changes the retention (owners only). */
  updateSettings(input: z.input<typeof endpoints.updateAuditLogSettings.body>): Promise<AuditLogSettings> {
    return this.context.transport.call(endpoints.updateAuditLogSettings, { body: input });
  }
}
