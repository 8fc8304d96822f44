import { endpoints } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export function useNotifications() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.notifications,
    queryFn: ({ signal }) => client.request(endpoints.listNotifications, { query: { limit: 100 }, signal }),
  });
}

export function useMarkNotificationRead() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => client.request(endpoints.markNotificationRead, { params: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}

export function useMarkAllNotificationsRead() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.request(endpoints.markAllNotificationsRead),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}
