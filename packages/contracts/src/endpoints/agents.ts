import {
  agentApiKeyParamsSchema,
  agentIdParamsSchema,
  agentSchema,
  listAgentsQuerySchema,
  registerAgentSchema,
  replaceAgentSchema,
  updateAgentSchema,
} from '../agents.js';
import {
  apiKeyListSchema,
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  rotateApiKeySchema,
  rotatedApiKeySchema,
} from '../auth.js';
import { pageSchema } from '../common.js';
import { heartbeatRequestSchema, heartbeatResponseSchema } from '../heartbeats.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'agents';
const theAgent = { 200: { description: 'The agent as it is now', schema: agentSchema } } as const;

export const listAgents = defineEndpoint({
  operationId: 'listAgents',
  method: 'GET',
  path: '/api/v1/agents',
  tag,
  auth: 'any',
  summary: 'List agents by name',
  description:
    'The workspace’s agents in alphabetical order, optionally only those with one status or kind. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listAgentsQuerySchema,
  responses: { 200: { description: 'A page of agents', schema: pageSchema(agentSchema) } },
  errors: [],
});

export const createAgent = defineEndpoint({
  operationId: 'createAgent',
  method: 'POST',
  path: '/api/v1/agents',
  tag,
  auth: 'user',
  summary: 'Register an agent',
  description:
    'Owners, admins and members register agents. The name (used in @mentions) and the session key must be free in the workspace, case-insensitively; the session key defaults to agent:<role>:<name>. The agent starts offline; give it an API key so it can work.',
  body: registerAgentSchema,
  responses: { 201: { description: 'The new agent', schema: agentSchema } },
  errors: ['AGENT_NAME_TAKEN', 'AGENT_SESSION_KEY_TAKEN', 'A2A_CARD_UNREADABLE', 'WEBHOOK_TARGET_REFUSED'],
});

export const getAgent = defineEndpoint({
  operationId: 'getAgent',
  method: 'GET',
  path: '/api/v1/agents/{id}',
  tag,
  auth: 'any',
  summary: 'Get an agent',
  description: 'An agent of the caller’s workspace by id; removed agents and agents of other workspaces answer 404.',
  params: agentIdParamsSchema,
  responses: theAgent,
  errors: ['AGENT_NOT_FOUND'],
});

export const updateAgent = defineEndpoint({
  operationId: 'updateAgent',
  method: 'PATCH',
  path: '/api/v1/agents/{id}',
  tag,
  auth: 'any',
  summary: 'Edit some fields of an agent',
  description:
    'Changes only the fields sent. Owners, admins and members edit any agent; an agent edits only itself (its profile, status and memory). A new name or session key must be free in the workspace.',
  params: agentIdParamsSchema,
  body: updateAgentSchema,
  responses: theAgent,
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'AGENT_NAME_TAKEN', 'AGENT_SESSION_KEY_TAKEN'],
});

export const replaceAgent = defineEndpoint({
  operationId: 'replaceAgent',
  method: 'PUT',
  path: '/api/v1/agents/{id}',
  tag,
  auth: 'any',
  summary: 'Replace the editable fields of an agent',
  description:
    'A full update: every field PATCH edits takes the value sent, and a field left out takes its registration default (specialist, no capabilities, empty memory, a 60 s heartbeat, a concurrency of 1, the session key agent:<role>:<name>). The status is kept when left out. Same callers and checks as PATCH.',
  params: agentIdParamsSchema,
  body: replaceAgentSchema,
  responses: theAgent,
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'AGENT_NAME_TAKEN', 'AGENT_SESSION_KEY_TAKEN'],
});

export const deleteAgent = defineEndpoint({
  operationId: 'deleteAgent',
  method: 'DELETE',
  path: '/api/v1/agents/{id}',
  tag,
  auth: 'user',
  summary: 'Remove an agent and revoke its keys',
  description:
    'Owners, admins and members remove agents. Its keys stop working at once and its name is free again; its history (tasks, messages, activity) stays.',
  params: agentIdParamsSchema,
  responses: { 204: { description: 'Removed' } },
  errors: ['AGENT_NOT_FOUND'],
});

export const listAgentApiKeys = defineEndpoint({
  operationId: 'listAgentApiKeys',
  method: 'GET',
  path: '/api/v1/agents/{id}/api-keys',
  tag,
  auth: 'any',
  summary: "List an agent's API keys",
  description:
    'Newest first, revoked ones included, never their secrets. Owners, admins and members see any agent’s keys; an agent sees only its own.',
  params: agentIdParamsSchema,
  responses: { 200: { description: 'The agent’s API keys', schema: apiKeyListSchema } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND'],
});

export const createAgentApiKey = defineEndpoint({
  operationId: 'createAgentApiKey',
  method: 'POST',
  path: '/api/v1/agents/{id}/api-keys',
  tag,
  auth: 'user',
  summary: 'Create an API key for an agent',
  description:
    'Owners, admins and members create agents’ keys. The secret is in this answer only: hand it to the agent now (MISSION_API_KEY). `expiresAt`, when given, must be in the future. `scopes` limits what the key may call (403 KEY_SCOPE_MISSING beyond them), `allowedIps` where it may be used from (403 KEY_ADDRESS_NOT_ALLOWED elsewhere), `rateLimitPerMinute` gives it a limit of its own (429 RATE_LIMITED past it), and `requireSignature` refuses every request with it that is not signed (401 SIGNATURE_INVALID; see the security guide). The secret is never stored for a replay: repeating the request with its Idempotency-Key answers 409 IDEMPOTENCY_SECRET_NOT_REPLAYABLE with the key’s id; if the secret was lost, revoke that key and create another.',
  params: agentIdParamsSchema,
  body: createApiKeySchema,
  responses: { 201: { description: 'The new key and its secret, shown once', schema: createdApiKeySchema } },
  oneTimeSecretField: 'secret',
  errors: ['AGENT_NOT_FOUND', 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
});

export const rotateAgentApiKey = defineEndpoint({
  operationId: 'rotateAgentApiKey',
  method: 'POST',
  path: '/api/v1/agents/{id}/api-keys/{keyId}/rotate',
  tag,
  auth: 'user',
  summary: "Rotate an agent's API key",
  description:
    'Owners, admins and members rotate agents’ keys. Answers a new key with the same name, scopes, address allow-list, rate limit and signing requirement (its secret in this answer only), and the old key, which keeps working for `graceSeconds` (default an hour) and is then revoked; 0 revokes it at once. Only a live key that was not rotated before can be rotated: otherwise 409 API_KEY_NOT_ROTATABLE. Repeating the request with its Idempotency-Key answers 409 IDEMPOTENCY_SECRET_NOT_REPLAYABLE. Appends `api-key-created` for the new key, and `api-key-revoked` for the old one when its grace ends.',
  params: agentApiKeyParamsSchema,
  body: rotateApiKeySchema,
  responses: { 201: { description: 'The new key with its secret, shown once, and the old key', schema: rotatedApiKeySchema } },
  oneTimeSecretField: 'secret',
  errors: ['AGENT_NOT_FOUND', 'API_KEY_NOT_FOUND', 'API_KEY_NOT_ROTATABLE', 'IDEMPOTENCY_SECRET_NOT_REPLAYABLE'],
});

export const revokeAgentApiKey = defineEndpoint({
  operationId: 'revokeAgentApiKey',
  method: 'DELETE',
  path: '/api/v1/agents/{id}/api-keys/{keyId}',
  tag,
  auth: 'user',
  summary: "Revoke an agent's API key",
  description:
    'Owners, admins and members revoke agents’ keys; the key stops working at once. Revoking a key already revoked answers it unchanged.',
  params: agentApiKeyParamsSchema,
  responses: { 200: { description: 'The key, revoked', schema: apiKeySchema } },
  errors: ['AGENT_NOT_FOUND', 'API_KEY_NOT_FOUND'],
});

export const sendHeartbeat = defineEndpoint({
  operationId: 'sendHeartbeat',
  method: 'POST',
  path: '/api/v1/agents/{id}/heartbeat',
  tag,
  auth: 'any',
  summary: 'Say the agent is alive and learn what is waiting',
  description:
    'Send one every `heartbeatIntervalSeconds`: it marks the agent present (missing three turns it offline and frees its tasks), renews the leases it holds and answers its unread notifications, assigned tasks, leases and, for a lead, the triage counts; `hasWork` says whether to act. An agent beats for itself; owners, admins and members may beat for any agent.',
  params: agentIdParamsSchema,
  body: heartbeatRequestSchema,
  responses: { 200: { description: 'What is waiting for the agent', schema: heartbeatResponseSchema } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'TASK_NOT_FOUND'],
});
