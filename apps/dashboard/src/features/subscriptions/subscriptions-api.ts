import type { Subscription, SubscriptionStatus, UpdateSubscriptionInput } from '@mission-control/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** The workspace's subscriptions, monthly and paid by use, each with what its period cost so far. */
export function useSubscriptions(status: SubscriptionStatus | 'all' = 'all', enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.subscriptionList(status),
    queryFn: () => client.marketplace.subscriptions(status === 'all' ? {} : { status }),
    enabled,
  });
}

/**
 * The live (active or stopped) subscription of the workspace to a listing, or null when it has
 * none: the server keeps at most one per listing, and an ended one gives nothing any more.
 */
export function useCurrentSubscription(listingId: string, enabled: boolean) {
  const subscriptions = useSubscriptions('all', enabled);
  return {
    ...subscriptions,
    data: subscriptions.data?.find((subscription) => subscription.listing.id === listingId && subscription.status !== 'ended') ?? null,
  };
}

/**
 * After subscribing, cancelling or changing a limit: the subscriptions, the balance and history
 * (a first month is charged), the installations (a stop pauses them, a raised limit resumes them)
 * and the listing are all stale.
 */
export function afterSubscriptionChange(queryClient: QueryClient, listingId: string): void {
  for (const queryKey of [queryKeys.subscriptions, queryKeys.credits, queryKeys.installations, queryKeys.listing(listingId)])
    void queryClient.invalidateQueries({ queryKey });
}

export function useUpdateSubscription() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ subscription, input }: { subscription: Subscription; input: UpdateSubscriptionInput }) =>
      client.marketplace.updateSubscription(subscription.id, input),
    // Settled, not only succeeded: a subscription that ended meanwhile shows as ended.
    onSettled: (_answer, _error, { subscription }) => afterSubscriptionChange(queryClient, subscription.listing.id),
  });
}
