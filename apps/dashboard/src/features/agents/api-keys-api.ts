import { endpoints } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/**
 * Whose keys a panel shows: an agent's (under /agents/{id}/api-keys) or the signed-in person's own
 * (under /auth/api-keys). The two sets of endpoints take the same bodies and answer the same shapes.
 */
export type ApiKeyOwner = { kind: 'agent'; agentId: string } | { kind: 'me' };

export type CreateApiKeyBody = z.input<typeof endpoints.createAgentApiKey.body>;
export type RotateApiKeyBody = z.input<typeof endpoints.rotateAgentApiKey.body>;

export function apiKeysQueryKey(owner: ApiKeyOwner) {
  return owner.kind === 'agent' ? queryKeys.agentApiKeys(owner.agentId) : queryKeys.myApiKeys;
}

export function useApiKeys(owner: ApiKeyOwner) {
  const client = useClient();
  return useQuery({
    queryKey: apiKeysQueryKey(owner),
    queryFn: ({ signal }) =>
      owner.kind === 'agent'
        ? client.request(endpoints.listAgentApiKeys, { params: { id: owner.agentId }, signal })
        : client.request(endpoints.listMyApiKeys, { signal }),
  });
}

/** Refreshes the owner's list after any change, so a rotated key shows its grace at once. */
function useRefreshKeys(owner: ApiKeyOwner) {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: apiKeysQueryKey(owner) });
}

export function useCreateApiKey(owner: ApiKeyOwner) {
  const client = useClient();
  const refresh = useRefreshKeys(owner);
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) =>
      owner.kind === 'agent'
        ? client.request(endpoints.createAgentApiKey, { params: { id: owner.agentId }, body })
        : client.request(endpoints.createMyApiKey, { body }),
    onSuccess: refresh,
  });
}

export function useRotateApiKey(owner: ApiKeyOwner) {
  const client = useClient();
  const refresh = useRefreshKeys(owner);
  return useMutation({
    mutationFn: ({ keyId, body }: { keyId: string; body: RotateApiKeyBody }) =>
      owner.kind === 'agent'
        ? client.request(endpoints.rotateAgentApiKey, { params: { id: owner.agentId, keyId }, body })
        : client.request(endpoints.rotateMyApiKey, { params: { id: keyId }, body }),
    // A refusal (the key was rotated or revoked meanwhile) means the list is stale too.
    onSettled: refresh,
  });
}

export function useRevokeApiKey(owner: ApiKeyOwner) {
  const client = useClient();
  const refresh = useRefreshKeys(owner);
  return useMutation({
    mutationFn: (keyId: string) =>
      owner.kind === 'agent'
        ? client.request(endpoints.revokeAgentApiKey, { params: { id: owner.agentId, keyId } })
        : client.request(endpoints.revokeMyApiKey, { params: { id: keyId } }),
    onSuccess: refresh,
  });
}
