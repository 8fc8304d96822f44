import { endpoints, type Message, type PostMessageInput } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAllPages } from '../../lib/fetch-all-pages';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export function useMessages(taskId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.messages(taskId ?? ''),
    queryFn: ({ signal }) =>
      fetchAllPages(
        (page) => client.request(endpoints.listMessages, { params: { taskId: taskId ?? '' }, query: { order: 'asc', ...page }, signal }),
        { maxItems: 1_000 },
      ),
    enabled: Boolean(taskId),
  });
}

export function usePostMessage(taskId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PostMessageInput> & { content: string }) =>
      client.request(endpoints.postMessage, { params: { taskId }, body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.messages(taskId) }),
  });
}

/** Adds or takes back the signed-in person's reaction, then puts the answered message into the thread. */
export function useToggleReaction(taskId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, emoji, mine }: { messageId: string; emoji: string; mine: boolean }) =>
      mine
        ? client.request(endpoints.removeMessageReaction, { params: { id: messageId, emoji } })
        : client.request(endpoints.addMessageReaction, { params: { id: messageId }, body: { emoji } }),
    onSuccess: (message) =>
      queryClient.setQueryData<Message[]>(queryKeys.messages(taskId), (messages) =>
        messages?.map((existing) => (existing.id === message.id ? message : existing)),
      ),
  });
}
