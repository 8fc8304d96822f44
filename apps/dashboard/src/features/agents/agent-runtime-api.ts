import {
  agentRunDetailSchema,
  agentRunSchema,
  agentRuntimeSchema,
  type ChatMessage,
  chatMessageSchema,
  pageSchema,
  type UpdateAgentRuntimeInput,
  usageSchema,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';
import { useApi, useServices } from '../../lib/services-context';

export const runtimeKeys = {
  runtime: (agentId: string) => ['agents', 'runtime', agentId] as const,
  runs: (agentId: string) => ['agents', 'runs', agentId] as const,
  run: (runId: string) => ['runs', runId] as const,
  usage: (filter: { agentId?: string; taskId?: string }) => ['usage', filter] as const,
  chat: (agentId: string) => ['agents', 'chat', agentId] as const,
};

export function useAgentRuntime(agentId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: runtimeKeys.runtime(agentId ?? ''),
    queryFn: ({ signal }) => api.get(`/agents/${agentId}/runtime`, { schema: agentRuntimeSchema, signal }),
    enabled: Boolean(agentId),
    // The scheduler changes it on its own (next run, state, errors): keep it fresh while the page is open.
    refetchInterval: 10_000,
  });
}

export function useUpdateAgentRuntime(agentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAgentRuntimeInput) => api.put(`/agents/${agentId}/runtime`, { schema: agentRuntimeSchema, body: input }),
    onSuccess: (runtime) => queryClient.setQueryData(runtimeKeys.runtime(agentId), runtime),
  });
}

export function useWakeAgent(agentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post(`/agents/${agentId}/wake`, { schema: agentRuntimeSchema, body: {} }),
    onSuccess: (runtime) => queryClient.setQueryData(runtimeKeys.runtime(agentId), runtime),
  });
}

export function useAgentRuns(agentId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: runtimeKeys.runs(agentId ?? ''),
    queryFn: ({ signal }) => api.get(`/agents/${agentId}/runs`, { schema: pageSchema(agentRunSchema), query: { limit: 20 }, signal }),
    enabled: Boolean(agentId),
    refetchInterval: 10_000,
  });
}

export function useRun(runId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: runtimeKeys.run(runId ?? ''),
    queryFn: ({ signal }) => api.get(`/runs/${runId}`, { schema: agentRunDetailSchema, signal }),
    enabled: Boolean(runId),
  });
}

export function useUsage(filter: { agentId?: string; taskId?: string }) {
  const api = useApi();
  return useQuery({
    queryKey: runtimeKeys.usage(filter),
    queryFn: ({ signal }) => api.get('/usage', { schema: usageSchema, query: filter, signal }),
  });
}

export function useChatHistory(agentId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: runtimeKeys.chat(agentId ?? ''),
    queryFn: ({ signal }) => api.get(`/agents/${agentId}/chat`, { schema: z.object({ data: z.array(chatMessageSchema) }), signal }),
    enabled: Boolean(agentId),
  });
}

const streamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({
    type: z.literal('done'),
    message: chatMessageSchema,
    runId: z.string(),
    tokensIn: z.number(),
    tokensOut: z.number(),
    costMicroDollars: z.number(),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);

/** Sends a chat message and hands each piece of the answer to onDelta as it arrives (server-sent events over fetch). */
export function useSendChatMessage(agentId: string) {
  const { session } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ content, onDelta }: { content: string; onDelta: (text: string) => void }): Promise<ChatMessage> => {
      const token = await session.accessToken();
      const response = await fetch(`/api/v1/agents/${agentId}/chat`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ content }),
      });
      if (!response.ok || !response.body) throw ApiError.fromBody(response.status, await response.json().catch(() => undefined));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!data) continue;
          const event = streamEventSchema.parse(JSON.parse(data));
          if (event.type === 'delta') onDelta(event.text);
          if (event.type === 'error') throw new ApiError(502, 'SERVICE_UNAVAILABLE', event.message);
          if (event.type === 'done') return event.message;
        }
      }
      throw new ApiError(502, 'SERVICE_UNAVAILABLE', 'The answer ended before it was complete.');
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: runtimeKeys.chat(agentId) });
      void queryClient.invalidateQueries({ queryKey: runtimeKeys.runs(agentId) });
    },
  });
}

/** Dollars from millionths of a dollar, to the cent or finer for small amounts. */
export function formatCost(microDollars: number): string {
  const dollars = microDollars / 1_000_000;
  return dollars >= 1 ? `$${dollars.toFixed(2)}` : `$${dollars.toFixed(4)}`;
}

/** Agents the demo runs as scripts, not models, carry "scripted" in their name. */
export function isScriptedAgent(agent: { name: string; role: string }): boolean {
  return /scripted/i.test(agent.name) || /scripted/i.test(agent.role);
}
