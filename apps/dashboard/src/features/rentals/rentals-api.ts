import type { DisputeStatus, OpenDisputeInput, Rental, RentalStatus, ResolveDisputeInput } from '@mission-control/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export type DisputeView = DisputeStatus | 'all';

// Under the marketplace's key, so whatever refreshes the whole marketplace refreshes these too.
export const rentalKeys = {
  rentals: ['marketplace', 'rentals'] as const,
  rentalList: (status: RentalStatus | 'all') => ['marketplace', 'rentals', status] as const,
  disputes: ['marketplace', 'disputes'] as const,
  disputeList: (view: DisputeView) => ['marketplace', 'disputes', view] as const,
};

/** The workspace's rentals, newest first, each with what its escrow still holds. */
export function useRentals(status: RentalStatus | 'all' = 'all', enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: rentalKeys.rentalList(status),
    queryFn: () => client.rentals.list(status === 'all' ? {} : { status }),
    enabled,
  });
}

/** Whether a rental still gives access now, as the server decides before an install. */
export function givesAccess(rental: Pick<Rental, 'status' | 'accessEnded' | 'endsAt'>, now: number): boolean {
  return rental.status !== 'refunded' && rental.status !== 'ended' && !rental.accessEnded && Date.parse(rental.endsAt) > now;
}

/** The rental of a listing that gives the workspace access now, or null when it has none. */
export function useCurrentRental(listingId: string, enabled: boolean) {
  const rentals = useRentals('all', enabled);
  const now = Date.now();
  return { ...rentals, data: rentals.data?.find((rental) => rental.listing.id === listingId && givesAccess(rental, now)) ?? null };
}

/** Disputes: the workspace's, or every one on the server for its administrators. */
export function useDisputes(view: DisputeView) {
  const client = useClient();
  return useQuery({
    queryKey: rentalKeys.disputeList(view),
    queryFn: () => client.rentals.disputes(view === 'all' ? {} : { status: view }),
  });
}

/**
 * After renting, disputing or resolving: the rentals, the disputes, the balance and history, and
 * the installations (a refund pauses what was installed) are all stale.
 */
export function afterRentalChange(queryClient: QueryClient): void {
  for (const queryKey of [rentalKeys.rentals, rentalKeys.disputes, queryKeys.credits, queryKeys.installations])
    void queryClient.invalidateQueries({ queryKey });
}

export function useOpenDispute() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OpenDisputeInput) => client.rentals.openDispute(input),
    onSettled: () => afterRentalChange(queryClient),
  });
}

export function useResolveDispute() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ disputeId, input }: { disputeId: string; input: ResolveDisputeInput }) =>
      client.rentals.resolveDispute(disputeId, input),
    // Settled, not only succeeded: a dispute resolved meanwhile by someone else shows its resolution.
    onSettled: () => afterRentalChange(queryClient),
  });
}
