import { z } from 'zod';

/** The shortest and longest retention a workspace can set, in days (ten years at most). */
export const minRetentionDays = 1;
export const maxRetentionDays = 3650;

const retentionDaysSchema = z.number().int().min(minRetentionDays).max(maxRetentionDays).nullable();

/**
 * How long a workspace keeps task messages and run transcripts. `null` keeps them forever (the
 * default); a number of days has the hourly purge delete what is older, permanently.
 */
export const retentionSettingsSchema = z
  .object({
    messagesDays: retentionDaysSchema.describe(
      'Task messages older than this many days are deleted with their reactions, file attachments and the mention and reply notifications that quote them, except on tasks still open (inbox, assigned, in progress, review, blocked); null keeps them forever',
    ),
    runsDays: retentionDaysSchema.describe(
      'Run transcripts older than this many days are deleted: the prompt, every step, the output, the error and the test output. The run itself stays with its agent, task, status, model, tokens, cost and duration, which budgets and cost reports add up; null keeps them forever',
    ),
  })
  .meta({ id: 'RetentionSettings' });
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/** What an owner or admin changes; a field left out keeps its value. */
export const updateRetentionSettingsSchema = z
  .strictObject({
    messagesDays: retentionDaysSchema
      .optional()
      .describe(`Days to keep task messages, ${minRetentionDays} to ${maxRetentionDays}; null keeps them forever`),
    runsDays: retentionDaysSchema
      .optional()
      .describe(`Days to keep run transcripts, ${minRetentionDays} to ${maxRetentionDays}; null keeps them forever`),
  })
  .refine((input) => input.messagesDays !== undefined || input.runsDays !== undefined, {
    message: 'give messagesDays, runsDays or both',
  });
export type UpdateRetentionSettingsInput = z.infer<typeof updateRetentionSettingsSchema>;
