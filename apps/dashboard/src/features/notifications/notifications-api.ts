import { markAllReadResultSchema, notificationSchema, pageSchema } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

const notificationPageSchema = pageSchema(notificationSchema).extend({ unreadCount: z.number().int() });

export function useNotifications() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.notifications,
    queryFn: ({ signal }) => api.get('/notifications', { schema: notificationPageSchema, query: { limit: 100 }, signal }),
  });
}

export function useMarkNotificationRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.put(`/notifications/${id}/read`, { schema: notificationSchema }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}

export function useMarkAllNotificationsRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/notifications/mark-all-read', { schema: markAllReadResultSchema }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}
