import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { ErasureService } from './erasure.service.js';
import type { PersonalDataExportService } from './personal-data-export.service.js';
import type { WorkspaceArchiveService } from './workspace-archive.service.js';

export interface ComplianceRouteServices {
  personalDataExport: PersonalDataExportService;
  erasure: ErasureService;
  workspaceArchive: WorkspaceArchiveService;
}

/** A file name with the day of the export, so that several exports do not overwrite each other. */
function attachment(prefix: string, at: string): string {
  return `attachment; filename="${prefix}-${at.slice(0, 10)}.json"`;
}

/** Personal data (export, erasure) and workspace archives. */
export async function complianceRoutes(app: FastifyInstance, services: ComplianceRouteServices): Promise<void> {
  registerEndpoint(app, endpoints.exportPersonalData, async (request, reply) => {
    const archive = await services.personalDataExport.exportPersonalData(request.principal);
    reply.header('content-disposition', attachment('mission-control-export', archive.exportedAt));
    return archive;
  });
  registerEndpoint(app, endpoints.eraseAccount, async (request) => services.erasure.eraseAccount(request.principal, request.body));
  registerEndpoint(app, endpoints.eraseMember, async (request) => services.erasure.eraseMember(request.principal, request.params.userId));
  registerEndpoint(app, endpoints.exportWorkspace, async (request, reply) => {
    const archive = await services.workspaceArchive.exportWorkspace(request.principal);
    reply.header('content-disposition', attachment('mission-control-workspace', archive.exportedAt));
    return archive;
  });
  registerEndpoint(app, endpoints.importWorkspace, async (request, reply) => {
    const workspace = await services.workspaceArchive.importWorkspace(request.principal, request.body);
    return reply.status(201).send(workspace);
  });
}
