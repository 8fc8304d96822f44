import { type ChatMessage, endpoints, type UpdateAgentRuntimeInput } from '@mission-control/contracts';
import { MissionControlError } from '@mission-control/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export const runtimeKeys = {
  runtime: (agentId: string) => ['agents', 'runtime', agentId] as const,
  runs: (agentId: string) => ['agents', 'runs', agentId] as const,
  run: (runId: string) => queryKeys.run(runId),
  usage: (filter: { agentId?: string; taskId?: string }) => ['usage', filter] as const,
  chat: (agentId: string) => ['agents', 'chat', agentId] as const,
};

export function useAgentRuntime(agentId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: runtimeKeys.runtime(agentId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getAgentRuntime, { params: { id: agentId ?? '' }, signal }),
    enabled: Boolean(agentId),
    // The scheduler changes it on its own (next run, state, errors): keep it fresh while the page is open.
    refetchInterval: 10_000,
  });
}

export function useUpdateAgentRuntime(agentId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAgentRuntimeInput) => client.request(endpoints.updateAgentRuntime, { params: { id: agentId }, body: input }),
    onSuccess: (runtime) => queryClient.setQueryData(runtimeKeys.runtime(agentId), runtime),
  });
}

export function useWakeAgent(agentId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.request(endpoints.wakeAgent, { params: { id: agentId }, body: {} }),
    onSuccess: (runtime) => queryClient.setQueryData(runtimeKeys.runtime(agentId), runtime),
  });
}

export function useAgentRuns(agentId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: runtimeKeys.runs(agentId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listAgentRuns, { params: { id: agentId ?? '' }, query: { limit: 20 }, signal }),
    enabled: Boolean(agentId),
    refetchInterval: 10_000,
  });
}

export function useRun(runId: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: runtimeKeys.run(runId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getRun, { params: { id: runId ?? '' }, signal }),
    enabled: Boolean(runId),
  });
}

export function useUsage(filter: { agentId?: string; taskId?: string }) {
  const client = useClient();
  return useQuery({
    queryKey: runtimeKeys.usage(filter),
    queryFn: ({ signal }) => client.request(endpoints.getUsage, { query: filter, signal }),
  });
}

export function useChatHistory(agentId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: runtimeKeys.chat(agentId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listChatMessages, { params: { id: agentId ?? '' }, signal }),
    enabled: Boolean(agentId),
  });
}

/** Sends a chat message and hands each piece of the answer to onDelta as it arrives (the SDK reads the server-sent events). */
export function useSendChatMessage(agentId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ content, onDelta }: { content: string; onDelta: (text: string) => void }): Promise<ChatMessage> => {
      for await (const event of client.runtime.chat(agentId, content)) {
        if (event.type === 'delta') onDelta(event.text);
        else if (event.type === 'done') return event.message;
        // The model failed after the stream began (the HTTP answer was a 200): the server says why; sending again is the way out.
        else throw new MissionControlError('SERVICE_UNAVAILABLE', event.message, { status: 503 });
      }
      throw new MissionControlError('NETWORK_ERROR', 'The answer stopped before it was complete; send the message again.');
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
