// biome-ignore-all lint/suspicious/noThenProperty: `then`/`else` are the branch names of a condition step in the workflow contract
import {
  type WorkflowDefinition,
  type WorkflowValidationError,
  workflowDefinitionSchema,
  workflowStepKinds,
} from '@mission-control/contracts';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export type DefinitionFormat = 'json' | 'yaml';

export interface ParsedDefinition {
  /** The parsed value when the text is JSON or YAML at all, checked or not. */
  value: unknown;
  /** The definition, once the schema accepts it. */
  definition?: WorkflowDefinition;
  /** Syntax errors, then what the contracts' definition schema says: every error at once. */
  errors: WorkflowValidationError[];
}

/** A definition as text, for the editor. */
export function formatDefinition(definition: unknown, format: DefinitionFormat): string {
  return format === 'json' ? `${JSON.stringify(definition, null, 2)}\n` : stringifyYaml(definition, { lineWidth: 0 });
}

/**
 * Reads what a person typed: JSON when it starts with `{`, YAML otherwise (YAML is a superset
 * anyway), then checks it against the same zod schema the server uses. The server's validate
 * endpoint adds what only it knows (cycles, unknown needs, CEL that does not parse).
 */
export function parseDefinitionText(text: string): ParsedDefinition {
  if (text.trim() === '') return { value: undefined, errors: [{ path: '', message: 'The definition is empty.' }] };
  let value: unknown;
  try {
    value = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'it cannot be read';
    return { value: undefined, errors: [{ path: '', message: `Not valid JSON or YAML: ${reason}` }] };
  }
  const checked = workflowDefinitionSchema.safeParse(value);
  if (checked.success) return { value, definition: checked.data, errors: [] };
  return {
    value,
    errors: checked.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      // zod's own words for a wrong kind name the union; a person wants the kinds to choose from.
      message: issue.message.startsWith('Invalid discriminator')
        ? `unknown step kind: use one of ${workflowStepKinds.join(', ')}`
        : issue.message,
    })),
  };
}

/** The steps of a parsed draft that can be drawn, even when other parts of it are wrong. */
export function drawableSteps(
  value: unknown,
): { id: string; kind: string; name?: string; needs?: string[]; then?: string[]; else?: string[] }[] {
  if (typeof value !== 'object' || value === null || !('steps' in value) || !Array.isArray(value.steps)) return [];
  const seen = new Set<string>();
  return value.steps.flatMap((step: unknown) => {
    if (typeof step !== 'object' || step === null) return [];
    const record = step as Record<string, unknown>;
    if (typeof record.id !== 'string' || seen.has(record.id)) return [];
    seen.add(record.id);
    return [
      {
        id: record.id,
        kind: typeof record.kind === 'string' ? record.kind : '?',
        ...(typeof record.name === 'string' ? { name: record.name } : {}),
        needs: stringList(record.needs),
        then: stringList(record.then),
        else: stringList(record.else),
      },
    ];
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
