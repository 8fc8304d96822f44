import { idParamsSchema, pageSchema } from '../common.js';
import {
  agentMemoryParamsSchema,
  createMemorySchema,
  listMemoriesQuerySchema,
  memorySchema,
  memorySearchResultSchema,
  searchMemoriesQuerySchema,
  shareMemorySchema,
} from '../memories.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'memory';

export const createAgentMemory = defineEndpoint({
  operationId: 'createAgentMemory',
  method: 'POST',
  path: '/api/v1/agents/{id}/memories',
  tag,
  auth: 'any',
  summary: 'Remember something for an agent',
  description:
    'An agent writes its own memories (the `remember` tool); owners, admins and members write any agent’s. When an embedding model is configured (`MISSION_EMBEDDINGS_BASE_URL`, `MISSION_EMBEDDINGS_MODEL`) the content is embedded too; if the model cannot be reached the memory is still stored, searchable by full text. Past the per-agent limit the oldest low-importance memories are pruned. Appends a `memory-created` event.',
  params: idParamsSchema,
  body: createMemorySchema,
  responses: { 201: { description: 'The stored memory', schema: memorySchema } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'TASK_NOT_FOUND'],
});

export const listAgentMemories = defineEndpoint({
  operationId: 'listAgentMemories',
  method: 'GET',
  path: '/api/v1/agents/{id}/memories',
  tag,
  auth: 'any',
  summary: 'List an agent’s own memories, newest first',
  description:
    '`q` keeps memories whose content contains the text, `kind` and `tag` filter further. For the most relevant memories to a question use `GET /api/v1/agents/{id}/memories/search`. Cursor-paginated.',
  params: idParamsSchema,
  query: listMemoriesQuerySchema,
  responses: { 200: { description: 'A page of memories', schema: pageSchema(memorySchema) } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND'],
});

export const searchAgentMemories = defineEndpoint({
  operationId: 'searchAgentMemories',
  method: 'GET',
  path: '/api/v1/agents/{id}/memories/search',
  tag,
  auth: 'any',
  summary: 'Recall the memories most relevant to a question',
  description:
    'Searches the agent’s own memories and those shared with it or with the workspace. Any word of the question may match (ranked by bm25 on SQLite, ts_rank on PostgreSQL); with an embedding model configured, cosine similarity of the embeddings is fused with it by reciprocal rank. `retrieval` says which was used.',
  params: idParamsSchema,
  query: searchMemoriesQuerySchema,
  responses: { 200: { description: 'The best memories, most relevant first', schema: memorySearchResultSchema } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND'],
});

export const deleteAgentMemory = defineEndpoint({
  operationId: 'deleteAgentMemory',
  method: 'DELETE',
  path: '/api/v1/agents/{id}/memories/{memoryId}',
  tag,
  auth: 'any',
  summary: 'Forget a memory',
  description:
    'An agent forgets its own memories (the `forget` tool); owners, admins and members any agent’s. Appends a `memory-deleted` event.',
  params: agentMemoryParamsSchema,
  responses: { 204: { description: 'Forgotten' } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'MEMORY_NOT_FOUND'],
});

export const shareAgentMemory = defineEndpoint({
  operationId: 'shareAgentMemory',
  method: 'POST',
  path: '/api/v1/agents/{id}/memories/{memoryId}/share',
  tag,
  auth: 'any',
  summary: 'Share a memory with other agents or the workspace',
  description:
    'The recipients recall it from then on, marked with its source (`sharedFrom`); sharing again adds recipients. Appends a `memory-shared` event.',
  params: agentMemoryParamsSchema,
  body: shareMemorySchema,
  responses: { 200: { description: 'The memory with its recipients', schema: memorySchema } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'MEMORY_NOT_FOUND'],
});
