import type { InboundHookAction } from '@mission-control/contracts';
import { AppError } from '../../../http/app-error.js';
import { CelExpressionError, compileCelExpression } from '../cel/cel-expression.js';

/** The fields each action takes, and which of them a template must map. */
export const actionFields: Record<InboundHookAction, { allowed: readonly string[]; required: readonly string[] }> = {
  'create-task': {
    allowed: ['title', 'description', 'priority', 'requiredCapabilities', 'dueAt', 'assignees', 'parentId'],
    required: ['title'],
  },
  'post-message': { allowed: ['task', 'content', 'type'], required: ['task', 'content'] },
  'start-workflow': { allowed: ['workflow', 'input'], required: ['workflow'] },
};

const templateVariables = ['payload', 'headers'] as const;

/** Checks every expression of a template and its fields against the action; throws 400 INBOUND_HOOK_TEMPLATE_INVALID. */
export function checkTemplate(action: InboundHookAction, template: Record<string, string>): void {
  const fields = actionFields[action];
  for (const field of Object.keys(template)) {
    if (!fields.allowed.includes(field)) {
      throw new AppError('INBOUND_HOOK_TEMPLATE_INVALID', `${action} has no field "${field}". Map only ${fields.allowed.join(', ')}.`, {
        field,
      });
    }
  }
  for (const field of fields.required) {
    if (!template[field]) {
      throw new AppError('INBOUND_HOOK_TEMPLATE_INVALID', `${action} needs the field "${field}": give it a CEL expression over payload.`, {
        field,
      });
    }
  }
  for (const [field, expression] of Object.entries(template)) {
    try {
      compileCelExpression(expression, templateVariables);
    } catch (error) {
      if (!(error instanceof CelExpressionError)) throw error;
      throw new AppError('INBOUND_HOOK_TEMPLATE_INVALID', `The expression for "${field}" is not valid CEL: ${error.message}.`, {
        field,
        expression,
      });
    }
  }
}

/** Evaluates a template over a payload; throws 422 INBOUND_HOOK_PAYLOAD_UNMAPPABLE naming the field that failed. */
export function applyTemplate(template: Record<string, string>, variables: { payload: unknown; headers: Record<string, string> }) {
  const fields: Record<string, unknown> = {};
  for (const [field, expression] of Object.entries(template)) {
    const result = compileCelExpression(expression, templateVariables).evaluate(variables);
    if (!result.ok) {
      throw new AppError(
        'INBOUND_HOOK_PAYLOAD_UNMAPPABLE',
        `The template could not compute "${field}" from this payload: ${result.error}. Send the fields the template reads, or change the template.`,
        { field, expression },
      );
    }
    fields[field] = result.value;
  }
  return fields;
}
