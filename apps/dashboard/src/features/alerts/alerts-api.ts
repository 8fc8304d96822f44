import type { AlertKind, AlertStatus, UpdateAlertSettingsInput } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { useRealtimeTopic } from '../realtime/realtime-provider';

export function useAlerts(status: AlertStatus | 'all', kind: AlertKind | 'all') {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.alertList(status, kind),
    queryFn: () => client.alerts.page({ ...(status === 'all' ? {} : { status }), ...(kind === 'all' ? {} : { kind }), limit: 100 }),
  });
}

/** Keeps every alerts list and the header count fresh from the event stream. */
export function useLiveAlerts() {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.alerts });
  useRealtimeTopic('type:alert-raised', refresh);
  useRealtimeTopic('type:alert-acknowledged', refresh);
  useRealtimeTopic('type:alert-resolved', refresh);
}

export function useChangeAlert() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ alertId, action }: { alertId: string; action: 'acknowledge' | 'resolve' }) =>
      action === 'acknowledge' ? client.alerts.acknowledge(alertId) : client.alerts.resolve(alertId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.alerts }),
  });
}

export function useAlertSettings(enabled: boolean) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.alertSettings, queryFn: () => client.alerts.settings(), enabled });
}

export function useUpdateAlertSettings() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAlertSettingsInput) => client.alerts.updateSettings(input),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.alertSettings, settings),
  });
}

export function useRecommendations() {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.recommendations, queryFn: () => client.analytics.recommendations() });
}
