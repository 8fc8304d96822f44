import type { WebhookDeliveryStatus } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../lib/services-context';

/** The Integrations page's own cache keys, under one prefix so a change can refresh them together. */
export const integrationKeys = {
  webhooks: ['integrations', 'webhooks'] as const,
  deliveries: (webhookId: string, status: WebhookDeliveryStatus | undefined) =>
    ['integrations', 'webhooks', 'deliveries', webhookId, status ?? 'all'] as const,
  inboundHooks: ['integrations', 'inbound-hooks'] as const,
  channels: ['integrations', 'channels'] as const,
  preferences: ['notifications', 'preferences'] as const,
};

export function useWebhooks() {
  const client = useClient();
  return useQuery({ queryKey: integrationKeys.webhooks, queryFn: () => client.webhooks.list() });
}

/** The newest deliveries of one endpoint, refreshed every few seconds while shown: retries land on their own. */
export function useWebhookDeliveries(webhookId: string, status: WebhookDeliveryStatus | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: integrationKeys.deliveries(webhookId, status),
    queryFn: async () => (await client.webhooks.deliveries(webhookId, { limit: 50, ...(status ? { status } : {}) }).page()).data,
    refetchInterval: 2_000,
  });
}

export function useInboundHooks() {
  const client = useClient();
  return useQuery({ queryKey: integrationKeys.inboundHooks, queryFn: () => client.inboundHooks.list() });
}

/**
 * The latest successful calls of the workspace's inbound hooks, from the activity feed (a refused
 * call changes nothing, so it is not there).
 */
export function useInboundHookCalls() {
  const client = useClient();
  return useQuery({
    queryKey: [...integrationKeys.inboundHooks, 'calls'],
    queryFn: async () => {
      const page = await client.activities.list({ type: 'inbound-hook-received', limit: 100 }).page();
      return page.data.flatMap((activity) =>
        activity.type === 'inbound-hook-received'
          ? [{ id: activity.id, hookId: activity.data.hookId, summary: activity.summary, at: activity.createdAt }]
          : [],
      );
    },
  });
}

export function useWorkspaceChannels() {
  const client = useClient();
  return useQuery({ queryKey: integrationKeys.channels, queryFn: () => client.notificationPreferences.workspaceChannels() });
}

export function useNotificationPreferences() {
  const client = useClient();
  return useQuery({ queryKey: integrationKeys.preferences, queryFn: () => client.notificationPreferences.get() });
}
