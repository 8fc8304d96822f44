import { z } from 'zod';
import { retentionSettingsSchema } from '../retention.js';
import { defineEvent } from './event-base.js';

export const retentionUpdatedEventSchema = defineEvent(
  'retention-updated',
  {
    id: 'RetentionUpdatedEvent',
    description:
      'An owner or admin changed how long the workspace keeps task messages or run transcripts; the hourly purge deletes what is older from then on.',
  },
  {
    fields: z.array(z.enum(['messagesDays', 'runsDays'])).describe('What changed'),
    messagesDays: retentionSettingsSchema.shape.messagesDays,
    runsDays: retentionSettingsSchema.shape.runsDays,
  },
);

export const retentionEventSchemas = [retentionUpdatedEventSchema] as const;
