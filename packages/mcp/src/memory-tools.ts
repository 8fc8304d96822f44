import { createMemorySchema, idSchema, memorySchema, memorySearchResultSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { invalidInput, runTool, toolResult } from './results.js';
import { additiveTool, destructiveTool, readOnlyTool } from './tool-annotations.js';

/** remember, recall, forget: an agent's own memory, which later tasks recall. */
export function createMemoryTools(client: MissionControl, myAgentId: () => Promise<string>): AgentTool[] {
  return [
    defineAgentTool({
      name: 'remember',
      title: 'Remember something',
      description:
        'Store something worth knowing in a later task: a fact about the work, a preference of someone, or a lesson from what went right or wrong. ' +
        'Write one self-contained sentence or two ("Staging is reset every Monday at 06:00 UTC; do not run migrations then"). importance 1–5 (5: never forget); ' +
        'give taskId when it was learned in a task. Returns the memory id.',
      inputSchema: createMemorySchema.shape,
      outputSchema: { memory: memorySchema },
      annotations: additiveTool,
      run: (input) =>
        runTool(async () => {
          const memory = await client.memories.create(await myAgentId(), input);
          return toolResult(`Remembered (${memory.kind}, importance ${memory.importance}): ${memory.id}`, { id: memory.id }, { memory });
        }),
    }),

    defineAgentTool({
      name: 'recall',
      title: 'Recall memories',
      description:
        'Find what you (or agents who shared with you) remembered about something. Ask in plain words ("when is staging reset?"); any word may match. ' +
        'Returns the most relevant memories first, each with its id, kind, score and who shared it, and which retrieval was used.',
      inputSchema: {
        query: z.string().min(1).max(1_000).describe('A question or a few keywords'),
        limit: z.number().int().min(1).max(20).optional(),
      },
      outputSchema: memorySearchResultSchema.shape,
      annotations: readOnlyTool,
      run: ({ query, limit }) =>
        runTool(async () => {
          const found = await client.memories.search(await myAgentId(), query, { limit: limit ?? 5 });
          if (found.results.length === 0) return toolResult(`Nothing remembered matches. (${found.note})`, undefined, found);
          const lines = found.results.map(
            (hit) =>
              `- ${hit.memory.id} [${hit.memory.kind}, importance ${hit.memory.importance}${hit.sharedFrom ? `, shared by ${hit.sharedFrom}` : ''}] ${hit.memory.content}`,
          );
          return toolResult(`${found.results.length} memory(ies), ${found.retrieval} retrieval:\n${lines.join('\n')}`, undefined, found);
        }),
    }),

    defineAgentTool({
      name: 'forget',
      title: 'Forget a memory',
      description: 'Delete one of your memories that is wrong or no longer true (the id comes from recall). Returns what was forgotten.',
      inputSchema: { memoryId: idSchema },
      outputSchema: { forgottenMemoryId: idSchema },
      annotations: destructiveTool,
      run: ({ memoryId }) =>
        runTool(async () => {
          if (!memoryId) return invalidInput('give the memoryId that recall answered.');
          await client.memories.delete(await myAgentId(), memoryId);
          return toolResult(`Forgot ${memoryId}.`, undefined, { forgottenMemoryId: memoryId });
        }),
    }),
  ];
}
