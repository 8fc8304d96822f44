import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AuditService } from './audit.service.js';
import { auditEntriesToCsv } from './audit-csv.js';

/** True when the client lists text/csv before (or without) application/json. */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .filter(Boolean);
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

/** The audit trail: owners and admins read and export it; owners set its retention. */
export async function auditRoutes(app: FastifyInstance, { audit }: { audit: AuditService }): Promise<void> {
  registerEndpoint(app, endpoints.listAuditLog, async (request) => audit.listAuditLog(request.principal, request.query));
  registerEndpoint(app, endpoints.exportAuditLog, async (request, reply) => {
    const csv = request.query.format === 'csv' || prefersCsv(request.headers.accept);
    const entries = await audit.exportAuditLog(request.principal, { ...request.query, format: csv ? 'csv' : 'json' });
    if (csv) {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .send(auditEntriesToCsv(entries));
    }
    reply.header('content-disposition', 'attachment; filename="audit-log.json"');
    return { data: entries };
  });
  registerEndpoint(app, endpoints.getAuditLogSettings, async (request) => audit.getAuditLogSettings(request.principal));
  registerEndpoint(app, endpoints.updateAuditLogSettings, async (request) => audit.updateAuditLogSettings(request.principal, request.body));
}
