import { z } from 'zod';
import { idSchema } from '../common.js';
import { memoryKindSchema } from '../memories.js';
import { defineEvent } from './event-base.js';

export const memoryCreatedEventSchema = defineEvent(
  'memory-created',
  { id: 'MemoryCreatedEvent', description: 'An agent remembered something (or a person wrote a memory for it).' },
  { memoryId: idSchema, kind: memoryKindSchema, importance: z.number().int(), embedded: z.boolean() },
);

export const memoryDeletedEventSchema = defineEvent(
  'memory-deleted',
  { id: 'MemoryDeletedEvent', description: 'A memory was forgotten: by its agent, a person, or the compaction that keeps memory bounded.' },
  { memoryId: idSchema, reason: z.enum(['forgotten', 'pruned', 'summarised']) },
);

export const memorySharedEventSchema = defineEvent(
  'memory-shared',
  { id: 'MemorySharedEvent', description: 'A memory was shared with other agents or the whole workspace; they recall it from now on.' },
  { memoryId: idSchema, toAgentIds: z.array(idSchema), toWorkspace: z.boolean() },
);

export const memoryEventSchemas = [memoryCreatedEventSchema, memoryDeletedEventSchema, memorySharedEventSchema] as const;
