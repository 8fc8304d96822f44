import type {
  CreditTransaction,
  CreditTransactionKind,
  GrantCreditsInput,
  PurchaseListingInput,
  RefundCreditsInput,
} from '@mission-control/contracts';
import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** How many transactions a page of the history shows. */
export const historyPageSize = 25;

/** The workspace's balance, what it received and what it spent. */
export function useCreditBalance(enabled = true) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.creditBalance, queryFn: () => client.credits.balance(), enabled });
}

/** The history, newest first, page by page; `kind` of 'all' lists every kind. */
export function useCreditTransactions(kind: CreditTransactionKind | 'all', enabled = true) {
  const client = useClient();
  return useInfiniteQuery({
    queryKey: queryKeys.creditTransactions(kind),
    queryFn: ({ pageParam }) =>
      client.credits.transactions({
        limit: historyPageSize,
        ...(kind === 'all' ? {} : { kind }),
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled,
  });
}

/**
 * Which listings the workspace holds: a purchase counts until refunds took all of it back. Read
 * from the newest 100 purchases and refunds, which only owners and admins may read; for anyone else
 * the Buy button finds out from the server's answer (409 LISTING_ALREADY_BOUGHT).
 */
export function useBoughtListings(enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.creditPurchases,
    queryFn: async () => {
      const [purchases, refunds] = await Promise.all([
        client.credits.transactions({ kind: 'purchase', limit: 100 }),
        client.credits.transactions({ kind: 'refund', limit: 100 }),
      ]);
      return boughtListingIds(purchases.data, refunds.data);
    },
    enabled,
    retry: false,
  });
}

/** The listings of purchases not refunded in full. */
export function boughtListingIds(purchases: readonly CreditTransaction[], refunds: readonly CreditTransaction[]): Set<string> {
  const refunded = new Map<string, number>();
  for (const refund of refunds) if (refund.refundOf) refunded.set(refund.refundOf, (refunded.get(refund.refundOf) ?? 0) + refund.amount);
  const ids = new Set<string>();
  for (const purchase of purchases) {
    if (purchase.listing && (refunded.get(purchase.id) ?? 0) < -purchase.amount) ids.add(purchase.listing.id);
  }
  return ids;
}

/**
 * Whether the person is a server administrator: the moderation queue answers only them, so a 403
 * there means no (the server has no question of its own for it).
 */
export function useIsServerAdmin() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.serverAdmin,
    queryFn: async () => {
      try {
        await client.marketplace.reviews.moderationQueue({ status: 'pending', limit: 1 });
        return true;
      } catch {
        return false;
      }
    },
    staleTime: 5 * 60_000,
  });
}

function afterCreditChange(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
}

export function usePurchaseListing(listingId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    // Nothing for most listings; a spending limit for one paid by use.
    mutationFn: (input: PurchaseListingInput | undefined) => client.marketplace.purchase(listingId, input ?? {}),
    onSuccess: () => {
      afterCreditChange(queryClient);
      void queryClient.invalidateQueries({ queryKey: queryKeys.listing(listingId) });
    },
  });
}

export function useCheckout() {
  const client = useClient();
  return useMutation({
    mutationFn: (credits: number) => {
      const here = `${window.location.origin}/settings/credits`;
      return client.credits.checkout({ credits, successUrl: `${here}?checkout=done`, cancelUrl: `${here}?checkout=cancelled` });
    },
  });
}

export function useGrantCredits() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: GrantCreditsInput) => client.credits.grant(input),
    onSuccess: () => afterCreditChange(queryClient),
  });
}

export function useRefund() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ transactionId, input }: { transactionId: string; input: RefundCreditsInput }) =>
      client.credits.refund(transactionId, input),
    onSuccess: () => afterCreditChange(queryClient),
  });
}

/** What the person's listings earned: per publisher, with the platform's fee. */
export function useEarnings() {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.earnings, queryFn: () => client.marketplace.earnings() });
}

/** Whose earnings history: the signed-in person's publisher account, or an organisation they administer. */
export type EarningsPublisher = { kind: 'user' } | { kind: 'organization'; id: string };

/** A publisher's history (what their listings earned, sale by sale), newest first, page by page. */
export function usePublisherTransactions(publisher: EarningsPublisher, enabled = true) {
  const client = useClient();
  const organizationId = publisher.kind === 'organization' ? publisher.id : undefined;
  return useInfiniteQuery({
    queryKey: [...queryKeys.earnings, 'transactions', organizationId ?? 'me'] as const,
    queryFn: ({ pageParam }) =>
      client.marketplace.earningTransactions({
        limit: historyPageSize,
        ...(organizationId ? { organizationId } : {}),
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled,
  });
}

/** The API path and query of a publisher's history as a CSV file. */
export function publisherCsvPath(publisher: EarningsPublisher): string {
  const query = new URLSearchParams({ format: 'csv', ...(publisher.kind === 'organization' ? { organizationId: publisher.id } : {}) });
  return `/api/v1/marketplace/earnings/transactions?${query}`;
}

/** The API path and query of the workspace's history as a CSV file. */
export function creditsCsvPath(kind: CreditTransactionKind | 'all'): string {
  const query = new URLSearchParams({ format: 'csv', ...(kind === 'all' ? {} : { kind }) });
  return `/api/v1/credits/transactions?${query}`;
}

/**
 * Saves a history as a CSV file, fetched with the session's credential (a plain link would be
 * refused: the dashboard signs in with a bearer token, not a cookie). `href` is the API path and
 * query; `forbidden` says in words why a 403 refused it.
 */
export async function downloadCsv(
  accessToken: string | null,
  { href, filename, forbidden }: { href: string; filename: string; forbidden: string },
): Promise<void> {
  const response = await fetch(`${window.location.origin}${href}`, {
    headers: { accept: 'text/csv', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
  });
  if (!response.ok) throw new Error(response.status === 403 ? forbidden : `The server answered ${response.status}.`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
