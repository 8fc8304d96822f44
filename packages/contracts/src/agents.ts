import { z } from 'zod';
import { idSchema, isStorableText, markdownSchema, pageQuerySchema, textSchema, timestampSchema, unstorableTextMessage } from './common.js';

export const agentStatusSchema = z.enum(['idle', 'active', 'blocked', 'offline']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/**
 * lead agents triage and assign, reviewers approve work in review, specialists do the work;
 * remote agents work somewhere else and are reached over the Agent2Agent protocol.
 */
export const agentKindSchema = z.enum(['lead', 'specialist', 'reviewer', 'remote']);
/** The kinds an agent registered here can have; a remote agent is registered from its card. */
export const localAgentKindSchema = agentKindSchema.exclude(['remote']);
export type AgentKind = z.infer<typeof agentKindSchema>;

export const capabilitySchema = textSchema()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'capabilities are lowercase words such as "typescript" or "web-research"' });

export const agentNameSchema = textSchema()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: 'agent names are letters, digits, dot, dash or underscore, so that @name mentions work',
  });

export const sessionKeySchema = textSchema()
  .trim()
  .min(3)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9_-]*(:[a-z0-9_-]+)+$/, { message: 'session keys look like agent:technical:main' });

/** Whether the agent is reachable over the Agent2Agent protocol, with a public agent card. */
export const agentA2aSchema = z
  .object({
    published: z
      .boolean()
      .describe('Publishes the agent card at /a2a/agents/{id}/.well-known/agent-card.json and accepts A2A messages at /a2a/agents/{id}'),
  })
  .meta({ id: 'AgentA2a' });
const agentA2aInputSchema = z.strictObject({ published: z.boolean() });

export const agentSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: z.string(),
    role: z.string(),
    kind: agentKindSchema,
    status: agentStatusSchema,
    sessionKey: z.string(),
    capabilities: z.array(z.string()),
    memoryContext: z.string(),
    heartbeatIntervalSeconds: z.number().int(),
    concurrencyLimit: z.number().int(),
    a2a: agentA2aSchema,
    lastHeartbeatAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof agentSchema>;

export const createAgentSchema = z.strictObject({
  name: agentNameSchema,
  role: textSchema().trim().min(1).max(120),
  kind: localAgentKindSchema.default('specialist'),
  sessionKey: sessionKeySchema.optional().describe('Defaults to agent:<role>:<name>'),
  capabilities: z.array(capabilitySchema).max(50).default([]),
  memoryContext: markdownSchema.default(''),
  heartbeatIntervalSeconds: z.number().int().min(5).max(86_400).default(60),
  concurrencyLimit: z.number().int().min(1).max(100).default(1),
  a2a: agentA2aInputSchema.default({ published: false }).describe('Off unless published: true'),
});
export type CreateAgentInput = z.infer<typeof createAgentSchema>;

/**
 * A remote agent, registered from its A2A agent card: its name, role and capabilities come from
 * the card unless given. The API key is the credential the remote server expects (sent as Bearer).
 */
export const createRemoteAgentSchema = z.strictObject({
  kind: z.literal('remote'),
  name: agentNameSchema.optional().describe('Defaults to the card’s name'),
  role: textSchema().trim().min(1).max(120).optional().describe('Defaults to the card’s description'),
  capabilities: z.array(capabilitySchema).max(50).optional().describe('Defaults to the card’s skills'),
  concurrencyLimit: z.number().int().min(1).max(100).default(5),
  a2a: z.strictObject({
    cardUrl: z
      .url({ protocol: /^https?$/, message: 'cardUrl must be an http:// or https:// URL' })
      .max(2_000)
      .refine(isStorableText, { message: unstorableTextMessage })
      .describe('The agent card, e.g. https://example.com/.well-known/agent-card.json'),
    apiKey: textSchema()
      .min(1)
      .max(2_000)
      .optional()
      .describe('Sent as Authorization: Bearer to the remote agent; stored sealed, never shown'),
  }),
});
export type CreateRemoteAgentInput = z.infer<typeof createRemoteAgentSchema>;

/** What POST /api/v1/agents takes: an agent of this squad, or a remote one by its card. */
export const registerAgentSchema = z.discriminatedUnion('kind', [createRemoteAgentSchema, createAgentSchema]);
export type RegisterAgentInput = z.infer<typeof registerAgentSchema>;

export const updateAgentSchema = z.strictObject({
  name: agentNameSchema.optional(),
  role: textSchema().trim().min(1).max(120).optional(),
  kind: agentKindSchema.optional(),
  status: agentStatusSchema.optional(),
  sessionKey: sessionKeySchema.optional(),
  capabilities: z.array(capabilitySchema).max(50).optional(),
  memoryContext: markdownSchema.optional(),
  heartbeatIntervalSeconds: z.number().int().min(5).max(86_400).optional(),
  concurrencyLimit: z.number().int().min(1).max(100).optional(),
  a2a: agentA2aInputSchema.optional(),
});
export type UpdateAgentInput = z.infer<typeof updateAgentSchema>;

/**
 * A full update (PUT) of PATCH's fields: a field left out takes its registration default (the
 * session key agent:<role>:<name> included), except the status, which is presence rather than
 * profile and is kept when left out.
 */
export const replaceAgentSchema = createAgentSchema.extend({
  status: agentStatusSchema.optional().describe('Left out, the agent keeps its current status'),
});
export type ReplaceAgentInput = z.infer<typeof replaceAgentSchema>;

export const listAgentsQuerySchema = pageQuerySchema.extend({
  status: agentStatusSchema.optional(),
  kind: agentKindSchema.optional(),
});
export type ListAgentsQuery = z.infer<typeof listAgentsQuerySchema>;

export const agentIdParamsSchema = z.object({ id: idSchema });
export const agentApiKeyParamsSchema = z.object({ id: idSchema, keyId: idSchema });
