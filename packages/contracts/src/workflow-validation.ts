import type { z } from 'zod';
import { type WorkflowDefinition, type WorkflowStep, type WorkflowValidationError, workflowDefinitionSchema } from './workflows.js';

/** Checks one CEL expression; answers null when it parses, else what is wrong. The server passes cel-js. */
export type CelChecker = (source: string) => string | null;

/** The `${…}` expressions inside a template string. */
export function findInterpolations(text: string): string[] {
  const found: string[] = [];
  const pattern = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) found.push(match[1] ?? '');
  return found;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The steps a step waits for: its needs, and the condition that names it as a branch. */
export function dependenciesOf(step: WorkflowStep, steps: readonly WorkflowStep[]): string[] {
  const needs = new Set(step.needs ?? []);
  for (const other of steps) {
    if (other.kind === 'condition' && [...(other.then ?? []), ...(other.else ?? [])].includes(step.id)) needs.add(other.id);
  }
  return [...needs];
}

/** Every string a step holds, with its path, for `${…}` checks. */
function stringsOf(value: unknown, path: string): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((inner, index) => stringsOf(inner, `${path}.${index}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => stringsOf(inner, `${path}.${key}`));
  }
  return [];
}

function findCycle(steps: readonly WorkflowStep[]): string[] | null {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  function visit(id: string): string[] | null {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    const step = byId.get(id);
    if (!step) return null;
    state.set(id, 'visiting');
    trail.push(id);
    for (const need of dependenciesOf(step, steps)) {
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(id, 'done');
    return null;
  }
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * Validates a workflow definition and answers every error at once, each with its path: the
 * schema's, unknown `needs`, branch targets and step ids used twice, a cycle, CEL that does not
 * parse (when a checker is given), and `${inputs.x}` or `${steps.y…}` naming nothing.
 */
export function validateWorkflowDefinition(
  input: unknown,
  checkCel?: CelChecker,
): { valid: true; definition: WorkflowDefinition; errors: [] } | { valid: false; errors: WorkflowValidationError[] } {
  const errors: WorkflowValidationError[] = [];
  const parsed = workflowDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of (parsed.error as z.ZodError).issues) {
      const message =
        issue.code === 'invalid_union' && issue.path[issue.path.length - 1] !== 'kind' && issue.message.includes('discriminator')
          ? 'unknown step kind: use task, condition, approval, delay, workflow, notify, message or http'
          : issue.message;
      errors.push({ path: pathOf(issue.path), message });
    }
    return { valid: false, errors };
  }
  const definition = parsed.data;
  const ids = new Set<string>();
  const inputNames = new Set(Object.keys(definition.inputs ?? {}));
  definition.steps.forEach((step, index) => {
    if (ids.has(step.id)) errors.push({ path: `steps.${index}.id`, message: `step id "${step.id}" is used twice` });
    ids.add(step.id);
  });
  definition.steps.forEach((step, index) => {
    const at = `steps.${index}`;
    (step.needs ?? []).forEach((need, needIndex) => {
      if (!ids.has(need)) errors.push({ path: `${at}.needs.${needIndex}`, message: `unknown step "${need}" in needs` });
      if (need === step.id) errors.push({ path: `${at}.needs.${needIndex}`, message: 'a step cannot need itself' });
    });
    const check = (path: string, source: string) => {
      const problem = checkCel?.(source);
      if (problem) errors.push({ path, message: `CEL does not parse: ${problem}` });
      for (const match of source.matchAll(/\binputs\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (!inputNames.has(match[1] ?? '')) errors.push({ path, message: `unknown input "${match[1]}": declare it under inputs` });
      }
      for (const match of source.matchAll(/\bsteps\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (!ids.has(match[1] ?? '')) errors.push({ path, message: `unknown step "${match[1]}"` });
      }
    };
    if (step.kind === 'condition') {
      check(`${at}.if`, step.if);
      for (const branch of ['then', 'else'] as const) {
        (step[branch] ?? []).forEach((target, targetIndex) => {
          if (!ids.has(target)) errors.push({ path: `${at}.${branch}.${targetIndex}`, message: `unknown step "${target}" in ${branch}` });
        });
      }
    }
    if (step.kind === 'task' && step.forEach) check(`${at}.forEach`, step.forEach);
    if (step.kind === 'task' && step.maxParallel && !step.forEach) {
      errors.push({ path: `${at}.maxParallel`, message: 'maxParallel needs forEach' });
    }
    if (step.kind === 'delay' && step.seconds === undefined && step.until === undefined) {
      errors.push({ path: at, message: 'a delay needs seconds or until' });
    }
    for (const entry of stringsOf(step, at)) {
      if (entry.path.endsWith('.if') || entry.path.endsWith('.forEach')) continue;
      for (const expression of findInterpolations(entry.text)) check(entry.path, expression);
    }
  });
  const cycle = findCycle(definition.steps);
  if (cycle) errors.push({ path: 'steps', message: `the steps form a cycle: ${cycle.join(' → ')}` });
  return errors.length > 0 ? { valid: false, errors } : { valid: true, definition, errors: [] };
}
