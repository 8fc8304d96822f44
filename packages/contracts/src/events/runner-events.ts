import { z } from 'zod';
import { runnerAdapterNameSchema } from '../agent-runs.js';
import { idSchema } from '../common.js';
import { defineEvent } from './event-base.js';

export const runnerRegisteredEventSchema = defineEvent(
  'runner-registered',
  {
    id: 'RunnerRegisteredEvent',
    description: 'A `mission runner` registered (or registered again) for an agent, with the adapter it drives for it.',
  },
  {
    runnerId: idSchema,
    name: z.string(),
    host: z.string(),
    adapter: runnerAdapterNameSchema,
    created: z.boolean().describe('True the first time this runner registered'),
  },
);

export const runnerOfflineEventSchema = defineEvent(
  'runner-offline',
  {
    id: 'RunnerOfflineEvent',
    description: 'A runner missed three heartbeats in a row; its running runs were closed as failed and their leases expire as usual.',
  },
  {
    runnerId: idSchema,
    name: z.string(),
    closedRunIds: z.array(idSchema),
  },
);

export const runnerDeletedEventSchema = defineEvent(
  'runner-deleted',
  { id: 'RunnerDeletedEvent', description: 'A person removed a runner; its running runs were asked to cancel.' },
  { runnerId: idSchema, name: z.string() },
);

export const runnerEventSchemas = [runnerRegisteredEventSchema, runnerOfflineEventSchema, runnerDeletedEventSchema] as const;
