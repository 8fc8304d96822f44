import type {
  CreateListingInput,
  CreateListingVersionInput,
  CreateReviewInput,
  Installation,
  Listing,
  ModerateReviewInput,
  UpdateListingInput,
} from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { type QueryClient, useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** What the search page asks the server: the filters of the URL, as the SDK takes them. */
export type ListingSearchQuery = NonNullable<Parameters<MissionControl['marketplace']['search']>[0]>;
export type InstallationStatus = 'active' | 'uninstalled' | 'all';
export type ModerationStatus = 'pending' | 'decided';

/** How many results a search page shows. */
export const searchPageSize = 20;

export function useListingSearch(query: ListingSearchQuery) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.marketplaceSearch(query),
    queryFn: () => client.marketplace.search(query),
    // The old results stay while the next ones load, so the page does not jump at every keystroke.
    placeholderData: (previous) => previous,
  });
}

/** The listings the person may edit (theirs and their organisations’), newest first, page by page. */
export function useMyListings() {
  const client = useClient();
  return useInfiniteQuery({
    queryKey: queryKeys.myListings,
    queryFn: ({ pageParam }) => client.marketplace.list({ mine: 'true', limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useListing(id: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.listing(id ?? ''),
    queryFn: () => client.marketplace.get(id ?? ''),
    enabled: Boolean(id),
  });
}

/** Several listings by id (the ones a workspace installed), each in the same cache entry as its page's. */
export function useListingsById(ids: readonly string[]) {
  const client = useClient();
  return useQueries({
    queries: ids.map((id) => ({ queryKey: queryKeys.listing(id), queryFn: () => client.marketplace.get(id) })),
    combine: (results) => new Map(ids.map((id, index) => [id, results[index]])),
  });
}

/** One version with everything it installs. */
export function useListingVersion(id: string | undefined, version: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.listingVersion(id ?? '', version ?? ''),
    queryFn: () => client.marketplace.getVersion(id ?? '', version ?? ''),
    enabled: Boolean(id && version),
  });
}

export function useListingReviews(id: string) {
  const client = useClient();
  return useInfiniteQuery({
    queryKey: queryKeys.listingReviews(id),
    queryFn: ({ pageParam }) => client.marketplace.reviews.list(id, { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** What was installed into the workspace the person is signed in to. */
export function useInstallations(status: InstallationStatus = 'active') {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.installationList(status),
    queryFn: () => client.marketplace.installations.list({ status }),
  });
}

/** What upgrading an installation to a version would change, field by field; asked only while `enabled`. */
export function useUpgradePreview(installationId: string, version: string, enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.upgradePreview(installationId, version),
    queryFn: () => client.marketplace.installations.previewUpgrade(installationId, version),
    enabled,
    // A preview is a promise about the workspace now: read it again each time it is opened.
    staleTime: 0,
    gcTime: 0,
  });
}

export function useModerationQueue(status: ModerationStatus) {
  const client = useClient();
  return useInfiniteQuery({
    queryKey: queryKeys.moderationQueue(status),
    queryFn: ({ pageParam }) =>
      client.marketplace.reviews.moderationQueue({ status, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useBlockedWords(enabled: boolean) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.blockedWords, queryFn: () => client.marketplace.reviews.blockedWords(), enabled });
}

/** A listing the server answered, into its own cache entry; lists and searches that show it are read again. */
function storeListing(queryClient: QueryClient, listing: Listing): void {
  queryClient.setQueryData(queryKeys.listing(listing.id), listing);
  void queryClient.invalidateQueries({ queryKey: queryKeys.marketplace, predicate: (query) => query.queryKey[1] !== 'listing' });
}

export function usePublishListing() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateListingInput) => client.marketplace.publish(input),
    onSuccess: (listing) => storeListing(queryClient, listing),
  });
}

export function useUpdateListing(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateListingInput) => client.marketplace.update(id, input),
    onSuccess: (listing) => storeListing(queryClient, listing),
  });
}

export function usePublishVersion(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateListingVersionInput) => client.marketplace.publishVersion(id, input),
    onSuccess: (listing) => storeListing(queryClient, listing),
  });
}

export function useDeleteListing(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.marketplace.remove(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.listing(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.marketplace });
    },
  });
}

export function useForkListing(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.marketplace.fork(id),
    onSuccess: (fork) => storeListing(queryClient, fork),
  });
}

/** Installing, upgrading and uninstalling change the workspace's agents, skills and workflows too. */
function afterInstallationChange(queryClient: QueryClient, installation: Installation): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.installations });
  void queryClient.invalidateQueries({ queryKey: queryKeys.listing(installation.listingId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.agents });
  void queryClient.invalidateQueries({ queryKey: queryKeys.skills });
  void queryClient.invalidateQueries({ queryKey: queryKeys.workflows });
}

/** What the install form chose: a name prefix for its agents, and whether to share its results. */
export interface InstallChoices {
  namePrefix: string;
  shareFigures: boolean;
}

export function useInstallListing(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ namePrefix, shareFigures }: InstallChoices) => {
      const options = { ...(namePrefix ? { namePrefix } : {}), ...(shareFigures ? { shareFigures: true } : {}) };
      return client.marketplace.install(id, Object.keys(options).length > 0 ? { options } : {});
    },
    onSuccess: (installation) => afterInstallationChange(queryClient, installation),
  });
}

/** Gives or takes back consent to show an installation's results on its listing's page. */
export function useShareInstallationFigures() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ installationId, shareFigures }: { installationId: string; shareFigures: boolean }) =>
      client.marketplace.installations.update(installationId, { shareFigures }),
    onSuccess: (installation) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.installations });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listing(installation.listingId) });
    },
  });
}

export function useUpgradeInstallation() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ installationId, version }: { installationId: string; version: string }) =>
      client.marketplace.installations.upgrade(installationId, version),
    onSuccess: (installation) => afterInstallationChange(queryClient, installation),
  });
}

export function useUninstall() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (installationId: string) => client.marketplace.installations.uninstall(installationId),
    onSuccess: (installation) => afterInstallationChange(queryClient, installation),
  });
}

/** Reviews change the listing's rating: both are read again. */
function afterReviewChange(queryClient: QueryClient, listingId: string): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.listingReviews(listingId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.listing(listingId) });
}

export function usePostReview(listingId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateReviewInput) => client.marketplace.reviews.post(listingId, input),
    onSuccess: () => afterReviewChange(queryClient, listingId),
  });
}

export function useReplyToReview(listingId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, body }: { reviewId: string; body: string }) => client.marketplace.reviews.reply(listingId, reviewId, body),
    onSuccess: () => afterReviewChange(queryClient, listingId),
  });
}

export function useReportReview(listingId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, reason }: { reviewId: string; reason: string }) =>
      client.marketplace.reviews.report(listingId, reviewId, reason),
    onSuccess: () => afterReviewChange(queryClient, listingId),
  });
}

export function useModerateReview() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, input }: { reviewId: string; input: ModerateReviewInput }) =>
      client.marketplace.reviews.moderate(reviewId, input),
    onSuccess: (review) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.moderationQueues });
      afterReviewChange(queryClient, review.listingId);
    },
  });
}

export function useSetBlockedWords() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (words: string[]) => client.marketplace.reviews.setBlockedWords(words),
    onSuccess: (words) => queryClient.setQueryData(queryKeys.blockedWords, words),
  });
}
