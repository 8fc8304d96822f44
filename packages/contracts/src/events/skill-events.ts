import { z } from 'zod';
import { idSchema } from '../common.js';
import { changedFieldsSchema, defineEvent } from './event-base.js';

export const skillCreatedEventSchema = defineEvent(
  'skill-created',
  { id: 'SkillCreatedEvent', description: 'A skill was written (version 1), possibly from a solved task.' },
  { skillId: idSchema, name: z.string(), version: z.number().int(), sourceTaskId: idSchema.nullable() },
);

export const skillVersionedEventSchema = defineEvent(
  'skill-versioned',
  { id: 'SkillVersionedEvent', description: 'A skill got a new version.' },
  { skillId: idSchema, name: z.string(), version: z.number().int(), fields: changedFieldsSchema },
);

export const skillDeletedEventSchema = defineEvent(
  'skill-deleted',
  { id: 'SkillDeletedEvent', description: 'A skill was deleted with its versions.' },
  { skillId: idSchema, name: z.string(), version: z.number().int().describe('Its last version') },
);

export const skillEventSchemas = [skillCreatedEventSchema, skillVersionedEventSchema, skillDeletedEventSchema] as const;
