import {
  type AgentStatus,
  agentSchema,
  apiKeySchema,
  type CreateAgentInput,
  createdApiKeySchema,
  type UpdateAgentInput,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchAllPages } from '../../lib/fetch-all-pages';
import { queryKeys } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

export function useAgents() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.agents,
    queryFn: ({ signal }) => fetchAllPages(api, '/agents', agentSchema, {}, { signal }),
  });
}

export function useAgent(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.agent(id ?? ''),
    queryFn: ({ signal }) => api.get(`/agents/${id}`, { schema: agentSchema, signal }),
    enabled: Boolean(id),
  });
}

export function useCreateAgent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<CreateAgentInput> & { name: string; role: string }) =>
      api.post('/agents', { schema: agentSchema, body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agents }),
  });
}

export function useUpdateAgent(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAgentInput) => api.patch(`/agents/${id}`, { schema: agentSchema, body: input }),
    onSuccess: (agent) => {
      queryClient.setQueryData(queryKeys.agent(id), agent);
      void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
    },
  });
}

export function useAgentApiKeys(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.agentApiKeys(id ?? ''),
    queryFn: ({ signal }) => api.get(`/agents/${id}/api-keys`, { schema: z.object({ data: z.array(apiKeySchema) }), signal }),
    enabled: Boolean(id),
  });
}

export function useCreateApiKey(agentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post(`/agents/${agentId}/api-keys`, { schema: createdApiKeySchema, body: { name } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agentApiKeys(agentId) }),
  });
}

export function useRevokeApiKey(agentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => api.delete(`/agents/${agentId}/api-keys/${keyId}`, { schema: apiKeySchema }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agentApiKeys(agentId) }),
  });
}

export const agentStatusText: Record<AgentStatus, string> = {
  idle: 'Idle',
  active: 'Active',
  blocked: 'Blocked',
  offline: 'Offline',
};
