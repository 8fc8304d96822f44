import { z } from 'zod';
import { idSchema, principalReferenceSchema, timestampSchema } from '../common.js';

/** A task's short per-workspace key as it was when the event happened, e.g. TASK-7. */
export const eventTaskKeySchema = z.string().describe('The task key at the time, such as TASK-7');

/** Names of the fields a change request touched, as the caller sent them. */
export const changedFieldsSchema = z.array(z.string()).describe('The fields the request changed');

/**
 * One variant of the event union: the fields every event has, its `type` and its `data`.
 * Data objects strip unknown fields when read, so a row written by a later version with an
 * extra field still parses; a field added later must be optional for the same reason.
 */
export function defineEvent<Type extends string, Shape extends z.core.$ZodShape>(
  type: Type,
  meta: { id: string; description: string },
  dataShape: Shape,
) {
  return z
    .object({
      seq: z.number().int().describe('Global, increasing sequence number'),
      id: idSchema,
      workspaceId: idSchema,
      type: z.literal(type),
      actor: principalReferenceSchema.nullable().describe('Who did it; null for the system'),
      taskId: idSchema.nullable(),
      agentId: idSchema.nullable(),
      summary: z.string().describe('One human-readable line'),
      data: z.object(dataShape),
      createdAt: timestampSchema,
    })
    .describe(meta.description)
    .meta({ id: meta.id });
}
