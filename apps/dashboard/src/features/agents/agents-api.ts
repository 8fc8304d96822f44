import { type AgentStatus, endpoints, type UpdateAgentInput, type WorkspaceRole } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { fetchAllPages } from '../../lib/fetch-all-pages';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** Whether a role may edit agents (the server's agent:manage permission); viewers only read. */
export function canManageAgents(role: WorkspaceRole | undefined): boolean {
  return role === 'owner' || role === 'admin' || role === 'member';
}

export function useAgents() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.agents,
    queryFn: ({ signal }) => fetchAllPages((page) => client.request(endpoints.listAgents, { query: page, signal })),
  });
}

export function useAgent(id: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.agent(id ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getAgent, { params: { id: id ?? '' }, signal }),
    enabled: Boolean(id),
  });
}

/** Registers an agent of this squad, or a remote one by its A2A card ({ kind: 'remote', a2a: { cardUrl } }). */
export function useCreateAgent() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof endpoints.createAgent.body>) => client.request(endpoints.createAgent, { body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agents }),
  });
}

export function useUpdateAgent(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAgentInput) => client.request(endpoints.updateAgent, { params: { id }, body: input }),
    onSuccess: (agent) => {
      queryClient.setQueryData(queryKeys.agent(id), agent);
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
    },
  });
}

export const agentStatusText: Record<AgentStatus, string> = {
  idle: 'Idle',
  active: 'Active',
  blocked: 'Blocked',
  offline: 'Offline',
};
