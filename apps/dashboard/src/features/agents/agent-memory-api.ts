import { type CreateMemoryInput, endpoints } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** The agent's newest memories (one page: the screen shows what is fresh, search finds the rest). */
export function useAgentMemories(agentId: string) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.agentMemories(agentId),
    queryFn: ({ signal }) => client.request(endpoints.listAgentMemories, { params: { id: agentId }, query: { limit: 50 }, signal }),
  });
}

/** What the agent would recall for a question, idle until there is one. */
export function useAgentMemorySearch(agentId: string, q: string) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.agentMemorySearch(agentId, q),
    queryFn: ({ signal }) => client.request(endpoints.searchAgentMemories, { params: { id: agentId }, query: { q, limit: 20 }, signal }),
    enabled: q.trim().length > 0,
    placeholderData: (previous) => previous,
  });
}

export function useCreateMemory(agentId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateMemoryInput) => client.request(endpoints.createAgentMemory, { params: { id: agentId }, body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['memories'] }),
  });
}

export function useForgetMemory(agentId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (memoryId: string) => client.request(endpoints.deleteAgentMemory, { params: { id: agentId, memoryId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['memories'] }),
  });
}

/** The score in words: scores compare only within one answer, so each is said relative to the best. */
export function describeScore(score: number, best: number): string {
  if (best <= 0) return 'weak match';
  const share = score / best;
  if (share >= 0.9) return 'best match';
  if (share >= 0.5) return 'good match';
  return 'weak match';
}
