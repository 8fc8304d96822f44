import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { MemoryService } from './memory.service.js';

/** Agent memory: remember, list, recall, forget, share. */
export async function memoryRoutes(app: FastifyInstance, { memories }: { memories: MemoryService }): Promise<void> {
  registerEndpoint(app, endpoints.createAgentMemory, async (request) =>
    memories.createMemory(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listAgentMemories, async (request) =>
    memories.listMemories(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.searchAgentMemories, async (request) =>
    memories.searchMemories(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.deleteAgentMemory, async (request) => {
    await memories.deleteMemory(request.principal, request.params.id, request.params.memoryId);
  });
  registerEndpoint(app, endpoints.shareAgentMemory, async (request) =>
    memories.shareMemory(request.principal, request.params.id, request.params.memoryId, request.body),
  );
}
