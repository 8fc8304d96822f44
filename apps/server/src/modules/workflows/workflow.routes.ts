import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { WorkflowService } from './workflow.service.js';

const yamlTypes = ['application/yaml', 'application/x-yaml', 'text/yaml'];

export async function workflowRoutes(app: FastifyInstance, { workflows }: { workflows: WorkflowService }): Promise<void> {
  // Definitions may come as YAML; the endpoint's schema then checks the parsed value like JSON.
  app.addContentTypeParser(yamlTypes, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseYaml(String(body), { maxAliasCount: 100 }) ?? {});
    } catch (error) {
      done(
        Object.assign(
          new Error(`The request body is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : 'unreadable'}`),
          {
            statusCode: 400,
            code: 'FST_ERR_CTP_INVALID_JSON_BODY',
          },
        ),
        undefined,
      );
    }
  });
  registerEndpoint(app, endpoints.createWorkflow, async (request) => workflows.createWorkflow(request.principal, request.body));
  registerEndpoint(app, endpoints.listWorkflows, async (request) => workflows.listWorkflows(request.principal));
  registerEndpoint(app, endpoints.validateWorkflow, async (request) => workflows.validateWorkflow(request.body.definition));
  registerEndpoint(app, endpoints.getWorkflow, async (request) => workflows.getWorkflow(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateWorkflow, async (request) =>
    workflows.updateWorkflow(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteWorkflow, async (request) => {
    await workflows.deleteWorkflow(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.listWorkflowVersions, async (request) =>
    workflows.listWorkflowVersions(request.principal, request.params.id),
  );
  registerEndpoint(app, endpoints.getWorkflowSigningSecret, async (request) => workflows.getWorkflowSigningSecret(request.principal));
  registerEndpoint(app, endpoints.getWorkflowStats, async (request) => workflows.getWorkflowStats(request.principal, request.params.id));
  registerEndpoint(app, endpoints.startWorkflowRun, async (request) =>
    workflows.startWorkflowRun(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listWorkflowRuns, async (request) => workflows.listWorkflowRuns(request.principal, request.query));
  registerEndpoint(app, endpoints.getWorkflowRun, async (request) => workflows.getWorkflowRun(request.principal, request.params.id));
  registerEndpoint(app, endpoints.cancelWorkflowRun, async (request) => workflows.cancelWorkflowRun(request.principal, request.params.id));
  registerEndpoint(app, endpoints.getWorkflowRunTimeline, async (request) =>
    workflows.getWorkflowRunTimeline(request.principal, request.params.id),
  );
}
