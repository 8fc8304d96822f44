import { z } from 'zod';

/** Row ids are UUIDv7: time-ordered, opaque text. */
export const idSchema = z.uuid();

/** An ISO-8601 UTC timestamp as the API writes it. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** A task reference: its id or its short per-workspace key such as `TASK-7`. */
export const taskReferenceSchema = z.string().min(1).max(64).describe('A task id or its short key such as TASK-7');

export const principalKindSchema = z.enum(['user', 'agent']);
export type PrincipalKind = z.infer<typeof principalKindSchema>;

/** Who did something, or who something is for: a user or an agent. */
export const principalReferenceSchema = z.object({ kind: principalKindSchema, id: idSchema }).meta({ id: 'PrincipalReference' });
export type PrincipalReference = z.infer<typeof principalReferenceSchema>;

export const maxPageSize = 200;
export const defaultPageSize = 50;

/** Query parameters every list endpoint accepts. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number<number | string>()
    .int()
    .min(1)
    .max(maxPageSize, { message: `limit must be at most ${maxPageSize}` })
    .default(defaultPageSize),
  cursor: z.string().min(1).max(512).optional(),
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
export const markdownSchema = z.string().max(200_000);

export const idParamsSchema = z.object({ id: idSchema });

/** A request body that may be left out entirely: a missing body counts as `{}`. */
export function optionalBody<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => value ?? {}, schema);
}
