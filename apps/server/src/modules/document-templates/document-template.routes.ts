import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { DocumentTemplateService } from './document-template.service.js';

export async function documentTemplateRoutes(app: FastifyInstance, { templates }: { templates: DocumentTemplateService }): Promise<void> {
  registerEndpoint(app, endpoints.listDocumentTemplates, async (request) => ({ data: await templates.listTemplates(request.principal) }));
  registerEndpoint(app, endpoints.createDocumentTemplate, async (request) => templates.createTemplate(request.principal, request.body));
}
