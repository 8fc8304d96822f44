import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { WorkflowTemplateService } from './workflow-template.service.js';

export async function workflowTemplateRoutes(
  app: FastifyInstance,
  { workflowTemplates }: { workflowTemplates: WorkflowTemplateService },
): Promise<void> {
  registerEndpoint(app, endpoints.listWorkflowTemplates, async () => workflowTemplates.listWorkflowTemplates());
  registerEndpoint(app, endpoints.instantiateWorkflowTemplate, async (request, reply) => {
    reply.status(201);
    return workflowTemplates.instantiateWorkflowTemplate(request.principal, request.params.name, request.body);
  });
}
