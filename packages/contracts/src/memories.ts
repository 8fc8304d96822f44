import { z } from 'zod';
import { idSchema, pageQuerySchema, taskReferenceSchema, textSchema, timestampSchema } from './common.js';

/** fact: something true about the work; preference: how someone wants things; lesson: learned from an outcome; summary: older memories folded together. */
export const memoryKindSchema = z.enum(['fact', 'preference', 'lesson', 'summary']);
export type MemoryKind = z.infer<typeof memoryKindSchema>;

const memoryTagSchema = textSchema()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._:/-]+$/u, { message: 'a tag is one word: letters, digits, . _ : / -' });

/** One thing an agent remembers. */
export const memorySchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    agentId: idSchema.describe('The agent whose memory this is (the source, for a memory shared with others)'),
    content: z.string(),
    kind: memoryKindSchema,
    tags: z.array(z.string()),
    taskId: idSchema.nullable().describe('The task it was learned in, when there was one'),
    importance: z.number().int().min(1).max(5),
    sharedWithAgentIds: z.array(idSchema).describe('Agents that recall it besides its own'),
    sharedWithWorkspace: z.boolean().describe('True when every agent of the workspace recalls it'),
    embedded: z.boolean().describe('True when an embedding model gave it a vector'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Memory' });
export type Memory = z.infer<typeof memorySchema>;

export const createMemorySchema = z
  .strictObject({
    content: textSchema().trim().min(1).max(8_000),
    kind: memoryKindSchema.default('fact'),
    tags: z.array(memoryTagSchema).max(20).default([]),
    taskId: taskReferenceSchema.optional().describe('The task it was learned in: its id or key such as TASK-7'),
    importance: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(3)
      .describe('1 (trivia) to 5 (never forget); low-importance old memories are summarised or pruned first'),
  })
  .meta({ id: 'CreateMemory' });
export type CreateMemoryInput = z.input<typeof createMemorySchema>;

export const agentMemoryParamsSchema = z.object({ id: idSchema, memoryId: idSchema });

export const listMemoriesQuerySchema = pageQuerySchema.extend({
  q: textSchema().trim().min(1).max(200).optional().describe('Only memories whose content contains this text'),
  kind: memoryKindSchema.optional(),
  tag: memoryTagSchema.optional(),
});
export type ListMemoriesQuery = z.infer<typeof listMemoriesQuerySchema>;

export const searchMemoriesQuerySchema = z.strictObject({
  q: textSchema().trim().min(1).max(1_000).describe('A natural-language question such as "when is staging reset?"'),
  limit: z.coerce.number<number | string>().int().min(1).max(50).default(10),
});
export type SearchMemoriesQuery = z.infer<typeof searchMemoriesQuerySchema>;

/** full-text: only the engine's full-text index ranked; hybrid: full-text and embedding similarity fused by reciprocal rank. */
export const memoryRetrievalSchema = z.enum(['full-text', 'hybrid']);
export type MemoryRetrieval = z.infer<typeof memoryRetrievalSchema>;

export const memorySearchHitSchema = z
  .object({
    memory: memorySchema,
    score: z.number().describe('Reciprocal-rank fusion score: higher is more relevant; comparable only within one answer'),
    sharedFrom: idSchema.nullable().describe('The agent that shared it, when it is not the asked agent’s own memory'),
  })
  .meta({ id: 'MemorySearchHit' });
export type MemorySearchHit = z.infer<typeof memorySearchHitSchema>;

export const memorySearchResultSchema = z
  .object({
    retrieval: memoryRetrievalSchema,
    embeddingModel: z.string().nullable().describe('The embedding model used, null when none is configured'),
    note: z.string().describe('How the answer was found, in words'),
    results: z.array(memorySearchHitSchema),
  })
  .meta({ id: 'MemorySearchResult' });
export type MemorySearchResult = z.infer<typeof memorySearchResultSchema>;

export const shareMemorySchema = z
  .strictObject({
    toAgentIds: z.array(idSchema).min(1).max(100).optional(),
    toWorkspace: z.boolean().optional().describe('True: every agent of the workspace recalls it'),
  })
  .refine((value) => (value.toAgentIds?.length ?? 0) > 0 || value.toWorkspace === true, {
    message: 'give toAgentIds (one agent id or more) or toWorkspace: true',
  })
  .meta({ id: 'ShareMemory' });
export type ShareMemoryInput = z.input<typeof shareMemorySchema>;
