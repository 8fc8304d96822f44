import { Environment } from '@marcbachmann/cel-js';
import { findInterpolations } from '@mission-control/contracts';
import { fromCelValue } from '../integrations/cel/cel-expression.js';

/**
 * CEL for workflows: `if` and `forEach` expressions and the `${…}` inside strings, over `inputs`,
 * `steps.<id>` (status, output, taskId, taskKey), `run` (id, workflow, version) and `item` (the
 * forEach item). Never `eval`: CEL is side-effect free and bounded.
 */
const variables = ['inputs', 'steps', 'run', 'item', 'event'] as const;
const limits = { maxAstNodes: 2_000, maxDepth: 50, maxListElements: 1_000, maxMapEntries: 1_000, maxCallArguments: 16 };
const environment = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false, limits });
for (const name of variables) environment.registerVariable(name, 'dyn');

export interface WorkflowScope {
  inputs: Record<string, unknown>;
  steps: Record<string, unknown>;
  run: Record<string, unknown>;
  item?: unknown;
  /** For triggers: the event that fired it. */
  event?: unknown;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'invalid expression';
}

/** Null when the expression parses and type-checks, else what is wrong (for the validator). */
export function checkWorkflowExpression(source: string): string | null {
  try {
    const checked = environment.parse(source).check();
    return checked.valid ? null : firstLine(checked.error);
  } catch (error) {
    return firstLine(error);
  }
}

function toCelValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toCelValue(inner)]));
  }
  return value === undefined ? null : value;
}

export class WorkflowExpressionError extends Error {
  override readonly name = 'WorkflowExpressionError';
}

/** Evaluates one expression; throws WorkflowExpressionError saying what went wrong. */
export function evaluateWorkflowExpression(source: string, scope: WorkflowScope): unknown {
  try {
    const program = environment.parse(source);
    const context = Object.fromEntries(variables.map((name) => [name, toCelValue(scope[name] ?? null)]));
    return fromCelValue(program(context));
  } catch (error) {
    throw new WorkflowExpressionError(`${source}: ${firstLine(error)}`);
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Fills the `${…}` of a string; a string that is one `${…}` alone keeps the value's own type. */
export function interpolate(text: string, scope: WorkflowScope): unknown {
  const expressions = findInterpolations(text);
  if (expressions.length === 0) return text;
  const whole = /^\$\{(.*)\}$/s.exec(text);
  if (whole && expressions.length === 1 && whole[1] === expressions[0]) return evaluateWorkflowExpression(expressions[0] ?? '', scope);
  let result = text;
  for (const expression of expressions) {
    result = result.replace(`\${${expression}}`, asText(evaluateWorkflowExpression(expression, scope)));
  }
  return result;
}

/** interpolate, always as text (titles, messages). */
export function interpolateText(text: string, scope: WorkflowScope): string {
  return asText(interpolate(text, scope));
}

/** Interpolates every string inside a JSON value. */
export function interpolateValue(value: unknown, scope: WorkflowScope): unknown {
  if (typeof value === 'string') return interpolate(value, scope);
  if (Array.isArray(value)) return value.map((inner) => interpolateValue(inner, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, interpolateValue(inner, scope)]));
  }
  return value;
}
