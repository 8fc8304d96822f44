import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** Keywords that only validate: serialising needs the shape, not the checks (and fast-json-stringify would run them in anyOf). */
const validationOnly = new Set([
  '$schema',
  'description',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'examples',
  'title',
]);

/**
 * The JSON schema of a response, reduced to what serialising needs: validation keywords dropped,
 * and `anyOf: [X, null]` (how zod writes a nullable field) turned into X with `null` among its
 * types, which fast-json-stringify writes directly instead of trying each branch.
 */
export function toSerializationSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toSerializationSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as JsonSchema;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (validationOnly.has(key)) continue;
    if (key === 'properties' || key === 'definitions' || key === '$defs' || key === 'patternProperties') {
      result[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([name, child]) => [name, toSerializationSchema(child)]));
    } else {
      result[key] = toSerializationSchema(value);
    }
  }
  const branches = result.anyOf;
  if (Array.isArray(branches) && branches.length === 2) {
    const others = branches.filter((branch) => !(branch && typeof branch === 'object' && (branch as JsonSchema).type === 'null'));
    const only = others[0] as JsonSchema | undefined;
    if (others.length === 1 && only && typeof only.type === 'string' && only.enum === undefined && only.const === undefined) {
      const { anyOf: _anyOf, ...rest } = result;
      return { ...rest, ...only, type: [only.type, 'null'] };
    }
  }
  return result;
}

type Serialize = (data: unknown) => string;

/** Compiled once per schema object: every app built in the process (tests build hundreds) shares them. */
const compiled = new WeakMap<ZodType, Serialize | null>();

/** The fast-json-stringify function of a zod response schema, or undefined when zod cannot describe it as JSON schema. */
export function compileResponseSerializer(schema: ZodType): Serialize | undefined {
  const known = compiled.get(schema);
  if (known !== undefined) return known ?? undefined;
  const serialize = compileUncached(schema);
  compiled.set(schema, serialize ?? null);
  return serialize;
}

function compileUncached(schema: ZodType): Serialize | undefined {
  let jsonSchema: unknown;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw', cycles: 'throw' });
  } catch {
    return undefined;
  }
  try {
    return fastJson(toSerializationSchema(jsonSchema) as Parameters<typeof fastJson>[0]) as Serialize;
  } catch {
    return undefined;
  }
}

/**
 * Responses are written by fast-json-stringify from the endpoint's JSON schema, derived from its
 * zod schema in contracts (still the one source): encoding every response with zod was 7 % of a
 * GET and 21 % of a list page. Types guarantee the handlers' shapes; the schema decides which
 * fields leave the server (unknown properties are never written). A schema zod cannot express as
 * JSON schema (a transform, a custom type) keeps zod's encoding.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<ZodType> = (route) => {
  const schema = route.schema as unknown;
  if (schema instanceof z.ZodType) {
    const serialize = compileResponseSerializer(schema);
    if (serialize) return serialize;
  }
  return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
};
