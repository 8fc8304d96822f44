import { z } from 'zod';

/** A JSON Schema object as the API document carries it. */
export type JsonSchema = { [key: string]: unknown };

const localReference = /^#\/\$defs\/(.+)$/;

function isJsonObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rewriteReferences(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, rename));
  if (!isJsonObject(value)) return value;
  const result: JsonSchema = {};
  for (const [key, entry] of Object.entries(value)) {
    const match = key === '$ref' && typeof entry === 'string' ? localReference.exec(entry) : null;
    result[key] = match?.[1] ? `#/components/schemas/${rename(match[1])}` : rewriteReferences(entry, rename);
  }
  return result;
}

/**
 * A discriminated union with a branch whose discriminator has a default (a request may leave
 * `kind` out to mean a local agent) is not "exactly one of" as JSON Schema: a body without the
 * discriminator could match several branches. It is documented as anyOf, which says what the
 * server does: the first branch that fits.
 */
function anyOfWhenDiscriminatorDefaults(context: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const { zodSchema, jsonSchema } = context;
  if (zodSchema._zod.def.type !== 'union' || !('discriminator' in zodSchema._zod.def) || !Array.isArray(jsonSchema.oneOf)) return;
  const discriminator = zodSchema._zod.def.discriminator;
  const optional = jsonSchema.oneOf.some((branch) => typeof branch === 'object' && !branch.required?.includes(String(discriminator)));
  if (!optional) return;
  jsonSchema.anyOf = jsonSchema.oneOf;
  delete jsonSchema.oneOf;
}

/**
 * Turns zod schemas into JSON Schema for the API document, moving every schema that has an id
 * (`.meta({ id })`) into `components.schemas` and pointing at it with `$ref`. Request bodies are
 * converted as the server takes them (`io: 'input'`: defaults make fields optional), answers as
 * it sends them; when the two forms of one id differ, the request form is named `<id>Input`.
 * Convert every answer before any request so the plain names go to the answers.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The JSON Schema of one zod schema, with named parts moved to components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      reused: 'inline',
      override: anyOfWhenDiscriminatorDefaults,
    });
    const { $schema: _dialect, $defs: definitions, ...root } = converted;
    const names = new Map<string, string>();
    const pending = Object.entries(isJsonObject(definitions) ? definitions : {});
    for (const [name, definition] of pending) names.set(name, this.nameFor(name, definition, io));
    // A request form that points at another request form differs from its answer form too.
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, definition] of pending) {
        if (names.get(name) !== name) continue;
        const pointsAtRenamed = [...referencedNames(definition)].some((inner) => names.get(inner) !== inner);
        if (pointsAtRenamed) {
          names.set(name, `${name}Input`);
          changed = true;
        }
      }
    }
    const rename = (name: string) => names.get(name) ?? name;
    for (const [name, definition] of pending) {
      const finalName = rename(name);
      this.schemas[finalName] ??= withoutIdentifier(rewriteReferences(definition, rename));
    }
    return withoutIdentifier(rewriteReferences(root, rename));
  }

  private nameFor(name: string, definition: unknown, io: 'input' | 'output'): string {
    const existing = this.schemas[name];
    if (!existing || io === 'output') return name;
    const candidate = withoutIdentifier(rewriteReferences(definition, (inner) => inner));
    return JSON.stringify(existing) === JSON.stringify(candidate) ? name : `${name}Input`;
  }
}

function referencedNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedNames(item, found);
  else if (isJsonObject(value)) {
    for (const [key, entry] of Object.entries(value)) {
      const match = key === '$ref' && typeof entry === 'string' ? localReference.exec(entry) : null;
      if (match?.[1]) found.add(match[1]);
      else referencedNames(entry, found);
    }
  }
  return found;
}

function withoutIdentifier(value: unknown): JsonSchema {
  if (!isJsonObject(value)) return {};
  const { id: _id, ...rest } = value;
  return rest;
}
