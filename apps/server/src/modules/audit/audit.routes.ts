import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { prefersCsv } from '../../http/content-negotiation.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AuditService } from './audit.service.js';
import { auditEntriesToCsv } from './audit-csv.js';

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
