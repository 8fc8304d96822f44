import { parse as parseYaml } from 'yaml';

/** Reads a JSON or YAML object a person typed (inputs, a trigger's workflow inputs); empty text is no object. */
export function readObjectText(text: string): { value?: Record<string, unknown>; error?: string } {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    return { error: 'are not valid JSON or YAML' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'must be an object, such as {"topic": "cats"}' };
  return { value: Object.fromEntries(Object.entries(value)) };
}
