import { z } from 'zod';

/** Row ids are UUIDv7: time-ordered, opaque text. */
export const idSchema = z.uuid();

/** An ISO-8601 UTC timestamp as the API writes it. */
export const timestampSchema = z.iso.datetime({ offset: true });

// A NUL character or half of a surrogate pair: PostgreSQL cannot store either in text or JSON
// columns (SQLite can), so both engines refuse them at the door and store the same things.
const unstorableCharacter = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message of the check textSchema adds: what is wrong, and what to send instead. */
export const unstorableTextMessage =
  'text must not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates; remove them or send well-formed Unicode';

/** Whether text can be stored as it is on every engine: no NUL character, no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !unstorableCharacter.test(value);
}

/**
 * The string of every request field (bodies, queries, path parameters): a string that refuses
 * NUL characters and unpaired surrogates. Chain length, trim and regex checks after it as on
 * z.string().
 */
export function textSchema() {
  return z.string().refine(isStorableText, { message: unstorableTextMessage });
}

/** A task reference: its id or its short per-workspace key such as `TASK-7`. */
export const taskReferenceSchema = textSchema().min(1).max(64).describe('A task id or its short key such as TASK-7');

export const principalKindSchema = z.enum(['user', 'agent']);
export type PrincipalKind = z.infer<typeof principalKindSchema>;

/** Who did something, or who something is for: a user or an agent. */
export const principalReferenceSchema = z.object({ kind: principalKindSchema, id: idSchema }).meta({ id: 'PrincipalReference' });
export type PrincipalReference = z.infer<typeof principalReferenceSchema>;

export const maxPageSize = 200;
export const defaultPageSize = 50;

/** Query parameters every list endpoint accepts; strict, so a misspelt filter is a 400 rather than ignored. */
export const pageQuerySchema = z.strictObject({
  limit: z.coerce
    .number<number | string>()
    .int()
    .min(1)
    .max(maxPageSize, { message: `limit must be at most ${maxPageSize}` })
    .default(defaultPageSize),
  cursor: textSchema().min(1).max(512).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page of a list: the items and the cursor of the next page, or null at the end. */
export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

export interface Page<Item> {
  data: Item[];
  nextCursor: string | null;
}

/** The body of a 204-free "ok" answer. */
export const okSchema = z.object({ ok: z.literal(true) });

/** Markdown text with a generous but finite size. */
export const markdownSchema = textSchema().max(200_000);

export const idParamsSchema = z.object({ id: idSchema });

/** A request body that may be left out entirely: a missing body counts as `{}`. */
export function optionalBody<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => value ?? {}, schema);
}

/** "45 s", "5 min", "2 h": how long until an instant, for messages a person reads (leases, retries). */
export function describeDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return 'a while';
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
