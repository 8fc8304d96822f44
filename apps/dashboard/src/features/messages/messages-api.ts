import { messageSchema, type PostMessageInput } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAllPages } from '../../lib/fetch-all-pages';
import { queryKeys } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

export function useMessages(taskId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.messages(taskId ?? ''),
    queryFn: ({ signal }) => fetchAllPages(api, `/tasks/${taskId}/messages`, messageSchema, { order: 'asc' }, { signal, maxItems: 1_000 }),
    enabled: Boolean(taskId),
  });
}

export function usePostMessage(taskId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PostMessageInput> & { content: string }) =>
      api.post(`/tasks/${taskId}/messages`, { schema: messageSchema, body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.messages(taskId) }),
  });
}
