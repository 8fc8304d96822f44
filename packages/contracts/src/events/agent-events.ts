import { z } from 'zod';
import { agentKindSchema, agentStatusSchema } from '../agents.js';
import { idSchema, principalReferenceSchema } from '../common.js';
import { changedFieldsSchema, defineEvent } from './event-base.js';

export const agentCreatedEventSchema = defineEvent(
  'agent-created',
  { id: 'AgentCreatedEvent', description: 'An agent was registered in the workspace.' },
  { name: z.string(), role: z.string(), kind: agentKindSchema, sessionKey: z.string() },
);

export const agentUpdatedEventSchema = defineEvent(
  'agent-updated',
  { id: 'AgentUpdatedEvent', description: "An agent's profile, status or memory was edited (by a member or by the agent itself)." },
  { fields: changedFieldsSchema },
);

export const agentDeletedEventSchema = defineEvent(
  'agent-deleted',
  { id: 'AgentDeletedEvent', description: 'An agent was removed; its keys stopped working and its history stays.' },
  {},
);

export const agentStatusChangedEventSchema = defineEvent(
  'agent-status-changed',
  {
    id: 'AgentStatusChangedEvent',
    description: "An agent's status changed: set by hand, by a heartbeat, or to offline after missed heartbeats.",
  },
  {
    from: agentStatusSchema,
    to: agentStatusSchema,
    reason: z.string().optional().describe('Set when presence changed it, e.g. missed-heartbeats'),
  },
);

export const apiKeyCreatedEventSchema = defineEvent(
  'api-key-created',
  { id: 'ApiKeyCreatedEvent', description: 'An API key was created for an agent or a user (the secret is never in the event).' },
  { apiKeyId: idSchema, prefix: z.string().describe('The first characters of the key, to recognise it'), owner: principalReferenceSchema },
);

export const apiKeyRevokedEventSchema = defineEvent(
  'api-key-revoked',
  { id: 'ApiKeyRevokedEvent', description: 'An API key was revoked and stopped working.' },
  { apiKeyId: idSchema, prefix: z.string() },
);

export const agentEventSchemas = [
  agentCreatedEventSchema,
  agentUpdatedEventSchema,
  agentDeletedEventSchema,
  agentStatusChangedEventSchema,
  apiKeyCreatedEventSchema,
  apiKeyRevokedEventSchema,
] as const;
