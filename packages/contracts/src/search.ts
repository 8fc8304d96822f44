import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';

/** What one search looks through. */
export const searchTypeSchema = z.enum(['task', 'message', 'document', 'skill', 'memory']);
export type SearchType = z.infer<typeof searchTypeSchema>;

export const searchQuerySchema = z.strictObject({
  q: textSchema().trim().min(1).max(500).describe('Words to look for; any may match, documents with more of them rank higher'),
  types: textSchema()
    .regex(/^(task|message|document|skill|memory)(,(task|message|document|skill|memory))*$/, {
      message: 'types is a comma-separated list of task, message, document, skill, memory',
    })
    .optional()
    .describe('Comma-separated, such as task,document; every type when left out'),
  limit: z.coerce.number<number | string>().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const searchHitSchema = z
  .object({
    type: searchTypeSchema,
    id: idSchema,
    taskId: idSchema.nullable().describe('The task it belongs to (the task itself for a task)'),
    agentId: idSchema.nullable().describe('The agent whose memory it is, for a memory'),
    title: z.string().describe('The task, document or skill title; empty for messages and memories'),
    snippet: z.string().describe('The best-matching passage, matched words wrapped in ** (plain text otherwise, not HTML)'),
    score: z.number().describe('Relevance, higher first; comparable only within one answer'),
    updatedAt: timestampSchema,
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResultSchema = z
  .object({
    hits: z.array(searchHitSchema),
    facets: z
      .object({
        task: z.number().int(),
        message: z.number().int(),
        document: z.number().int(),
        skill: z.number().int(),
        memory: z.number().int(),
      })
      .describe('How many matches of each type there are in all (not only in hits)'),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof searchResultSchema>;
