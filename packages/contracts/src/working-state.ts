import { z } from 'zod';
import { pageQuerySchema, principalReferenceSchema, textSchema, timestampSchema } from './common.js';

/** The notes are free-form markdown that agents and humans share; big enough for a team's plan, small enough to read every turn. */
export const maxWorkingNotesLength = 100_000;

/**
 * The shared WORKING.md: the live state of the workspace rendered as markdown, plus the notes
 * section. `version` is the notes' version (0 before the first write); send it back in
 * `If-Match` when you change them.
 */
export const workingStateSchema = z
  .object({
    version: z.number().int().min(0).describe('Version of the notes; also answered as the ETag'),
    markdown: z.string().describe('The whole rendered WORKING.md: agents, tasks by column, recent activity, notes'),
    notes: z.string().describe('The free-form notes section alone'),
    updatedAt: timestampSchema.nullable().describe('When the notes were last written; null before the first write'),
    updatedBy: principalReferenceSchema.nullable().describe('Who last wrote the notes; null before the first write'),
  })
  .meta({ id: 'WorkingState' });
export type WorkingState = z.infer<typeof workingStateSchema>;

export const updateWorkingStateSchema = z.strictObject({
  notes: textSchema()
    .max(maxWorkingNotesLength, { message: `notes must be at most ${maxWorkingNotesLength} characters` })
    .describe('Markdown for the notes section; replaces the current notes'),
});
export type UpdateWorkingStateInput = z.infer<typeof updateWorkingStateSchema>;

export const workingStateVersionSchema = z
  .object({
    version: z.number().int().min(1),
    notes: z.string(),
    author: principalReferenceSchema,
    createdAt: timestampSchema,
  })
  .meta({ id: 'WorkingStateVersion' });
export type WorkingStateVersion = z.infer<typeof workingStateVersionSchema>;

export const workingStateVersionSummarySchema = workingStateVersionSchema
  .omit({ notes: true })
  .extend({ notesLength: z.number().int().describe('Length of the notes in characters') })
  .meta({ id: 'WorkingStateVersionSummary' });
export type WorkingStateVersionSummary = z.infer<typeof workingStateVersionSummarySchema>;

/** Versions are listed newest first; the cursor is a version number. */
export const listWorkingStateVersionsQuerySchema = pageQuerySchema;
export type ListWorkingStateVersionsQuery = z.infer<typeof listWorkingStateVersionsQuerySchema>;

export const workingStateVersionParamsSchema = z.object({
  // Capped at the integer column's range so a huge number is a 400, not a database error.
  version: z.coerce.number<number | string>().int().min(1).max(2_147_483_647),
});
