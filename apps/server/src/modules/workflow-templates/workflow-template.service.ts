import type { Workflow } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { AppError } from '../../http/app-error.js';
import type { WorkflowService } from '../workflows/workflow.service.js';
import { workflowTemplates } from './workflow-templates.js';

export type WorkflowTemplateService = ReturnType<typeof createWorkflowTemplateService>;

export function createWorkflowTemplateService(dependencies: { workflows: WorkflowService }) {
  return {
    listWorkflowTemplates() {
      return { data: workflowTemplates.map((template) => ({ ...template })) };
    },
    async instantiateWorkflowTemplate(principal: Principal, name: string, input: { name?: string | undefined }): Promise<Workflow> {
      const template = workflowTemplates.find((candidate) => candidate.name === name);
      if (!template) {
        throw new AppError(
          'WORKFLOW_TEMPLATE_NOT_FOUND',
          `No template named ${name}: use one of ${workflowTemplates.map((entry) => entry.name).join(', ')}.`,
        );
      }
      return dependencies.workflows.createWorkflow(principal, { ...template.definition, name: input.name ?? template.definition.name });
    },
  };
}
