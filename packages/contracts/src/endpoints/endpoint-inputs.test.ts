import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isStorableText } from '../common.js';
import type { EndpointDefinition } from './define-endpoint.js';
import { allEndpoints } from './index.js';

type PathSegment = string | number;

/** A string field: the path to it, and the discriminators that select the union branch it is in. */
interface FieldPath {
  path: PathSegment[];
  fixed: { path: PathSegment[]; value: unknown }[];
}

/** The literal a discriminated union's branch has at its discriminator, if it has exactly one. */
function discriminatorValue(option: z.core.$ZodType, discriminator: string): unknown {
  if (!(option instanceof z.core.$ZodObject)) return undefined;
  const field = option._zod.def.shape[discriminator];
  return field instanceof z.core.$ZodLiteral && field._zod.def.values.length === 1 ? field._zod.def.values[0] : undefined;
}

/**
 * Every string a request can carry in this schema, as the path to it: through objects, arrays,
 * optional, nullable and default wrappers, unions and pipes (preprocess and transform). A field of
 * a discriminated union's branch carries the discriminator that selects that branch.
 */
function stringFieldPaths(schema: z.core.$ZodType, at: PathSegment[] = [], fixed: FieldPath['fixed'] = []): FieldPath[] {
  if (schema instanceof z.core.$ZodString) return [{ path: at, fixed }];
  if (schema instanceof z.core.$ZodObject) {
    return Object.entries(schema._zod.def.shape).flatMap(([name, field]) => stringFieldPaths(field, [...at, name], fixed));
  }
  if (schema instanceof z.core.$ZodArray) return stringFieldPaths(schema._zod.def.element, [...at, 0], fixed);
  if (
    schema instanceof z.core.$ZodOptional ||
    schema instanceof z.core.$ZodNullable ||
    schema instanceof z.core.$ZodDefault ||
    schema instanceof z.core.$ZodPrefault ||
    schema instanceof z.core.$ZodReadonly
  ) {
    return stringFieldPaths(schema._zod.def.innerType, at, fixed);
  }
  if (schema instanceof z.core.$ZodPipe) {
    return [...stringFieldPaths(schema._zod.def.in, at, fixed), ...stringFieldPaths(schema._zod.def.out, at, fixed)];
  }
  if (schema instanceof z.core.$ZodDiscriminatedUnion) {
    const discriminator = schema._zod.def.discriminator;
    return schema._zod.def.options.flatMap((option) => {
      const value = discriminatorValue(option, discriminator);
      const selected = value === undefined ? fixed : [...fixed, { path: [...at, discriminator], value }];
      return stringFieldPaths(option, at, selected);
    });
  }
  if (schema instanceof z.core.$ZodUnion) return schema._zod.def.options.flatMap((option) => stringFieldPaths(option, at, fixed));
  return [];
}

/** Sets value at path inside target (made of objects and one-element arrays), creating what is missing. */
function setAt(target: unknown, path: readonly PathSegment[], value: unknown): unknown {
  const [first, ...rest] = path;
  if (first === undefined) return value;
  if (typeof first === 'number') {
    const list = Array.isArray(target) ? target : [];
    return [setAt(list[0], rest, value)];
  }
  const object = typeof target === 'object' && target !== null && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
  return { ...object, [first]: setAt(object[first], rest, value) };
}

/** An input with only `value` at the field's path (and its branch's discriminators): `['attachments', 0, 'url']` → `{ attachments: [{ url: value }] }`. */
function inputWith(field: FieldPath, value: unknown): unknown {
  return field.fixed.reduce((input, entry) => setAt(input, entry.path, entry.value), setAt(undefined, field.path, value));
}

const parts = ['params', 'query', 'body'] as const;

interface StringField extends FieldPath {
  endpoint: string;
  part: (typeof parts)[number];
  schema: z.ZodType;
}

function stringFieldsOf(definition: EndpointDefinition): StringField[] {
  return parts.flatMap((part) => {
    const schema = definition[part];
    // A multipart body is bytes read by the server, not text it stores: its schema only documents the form.
    if (!schema || (part === 'body' && definition.bodyMediaType)) return [];
    const unique = new Map(stringFieldPaths(schema).map((field) => [field.path.join('.'), field]));
    return [...unique.values()].map((field) => ({ endpoint: definition.operationId, part, ...field, schema }));
  });
}

const stringFields = allEndpoints.flatMap(stringFieldsOf);

/**
 * Values some field accepts: free text, a URL, an email, a task key, a name. Each field is tried
 * with those it accepts, then with the same value and an unstorable character after it.
 */
const carriers = [
  'valid looking text and more',
  'https://example.com/some/path',
  'someone@example.com',
  'TASK-12',
  'jarvis',
  'agent:technical:jarvis',
];

const unstorableCharacters = {
  'a NUL character': '\u0000',
  'a lone high surrogate': '\ud800',
  'a lone low surrogate': '\udc00',
};

/**
 * Whether the value is refused at the field itself, or at an enclosing union that needs more than
 * one field to tell its branches apart (such a field is then refused whatever it holds).
 */
function refusesAt(field: StringField, value: string): boolean {
  const result = field.schema.safeParse(inputWith(field, value));
  const target = field.path.join('.');
  return (
    result.error?.issues.some((issue) => {
      const at = issue.path.join('.');
      if (at === target) return true;
      if (issue.code !== 'invalid_union') return false;
      // A discriminated union reports the missing discriminator beside the field, at its own key.
      const union = 'discriminator' in issue ? issue.path.slice(0, -1).join('.') : at;
      return union !== '' && target.startsWith(`${union}.`);
    }) ?? false
  );
}

const describeField = (field: StringField) => `${field.endpoint} ${field.part}.${field.path.join('.')}`;

describe('text in requests', () => {
  it('finds the string fields of the endpoints (bodies, queries and path parameters)', () => {
    const names = new Set(stringFields.map((field) => `${field.endpoint}.${field.part}.${field.path.join('.')}`));
    for (const expected of [
      'createTask.body.title',
      'createTask.body.dependencyIds.0',
      'listTasks.query.q',
      'listTasks.query.cursor',
      'getTask.params.id',
      'postMessage.body.attachments.0.url',
      'createAgentApiKey.body.name',
      'createWorkspace.body.name',
      'escalateTask.body.reason',
    ]) {
      expect(names).toContain(expected);
    }
    expect(stringFields.length).toBeGreaterThan(80);
  });

  for (const [description, character] of Object.entries(unstorableCharacters)) {
    it(`refuses ${description} in every string field of every endpoint`, () => {
      const accepted: string[] = [];
      for (const field of stringFields) {
        const takes = carriers.filter((carrier) => !refusesAt(field, carrier));
        // A field that takes none of them (an id, a timestamp) must still refuse the character.
        const tried = takes.length > 0 ? takes : ['valid looking text'];
        for (const carrier of tried) {
          if (!refusesAt(field, `${carrier}${character}tail`)) accepted.push(`${describeField(field)} (${carrier})`);
        }
      }
      expect(accepted).toEqual([]);
    });
  }

  it('accepts well-formed text, surrogate pairs (emoji) included', () => {
    expect(isStorableText('plain text, accents é, emoji 🚀 and CJK 漢字')).toBe(true);
    expect(isStorableText('\ud83d\ude80')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ude80\ud83d')).toBe(false);
    expect(isStorableText('end with a high surrogate \ud83d')).toBe(false);
  });
});

describe('query parameters', () => {
  it('every endpoint that takes a query refuses a key it does not know', () => {
    const withQuery = allEndpoints.filter((definition) => definition.query);
    expect(withQuery.length).toBeGreaterThan(10);
    const lenient = withQuery.filter((definition) => {
      const result = definition.query?.safeParse({ unknownParameter: 'x' });
      return !result?.error?.issues.some((issue) => issue.code === 'unrecognized_keys');
    });
    expect(lenient.map((definition) => definition.operationId)).toEqual([]);
  });
});
