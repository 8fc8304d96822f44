import {
  type CreditTransaction,
  endpoints,
  type Installation,
  type Listing,
  type ListingSearchResult,
  type ListingVersion,
  type ModerationItem,
  type Page,
  type Payout,
  type PayoutAccount,
  type PublisherEarnings,
  type Purchase,
  type Review,
  type Subscription,
  type UpgradePreview,
} from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** The marketplace (`/marketplace`): listings, search, installations, reviews and moderation. */
export class MarketplaceResource {
  private readonly context: ResourceContext;
  /** Reviews of listings, and the moderation queue. */
  readonly reviews: MarketplaceReviewsResource;
  /** What was installed into your workspace. */
  readonly installations: InstallationsResource;

  /** Created by MissionControl; use `client.marketplace`. */
  constructor(context: ResourceContext) {
    this.context = context;
    this.reviews = new MarketplaceReviewsResource(context);
    this.installations = new InstallationsResource(context);
  }

  /** Publishes an agent, workflow, skill or bundle of your workspace; secrets and ids refuse it (422 LISTING_CONTENT_UNSAFE). */
  publish(input: z.input<typeof endpoints.createListing.body>): Promise<Listing> {
    return this.context.transport.call(endpoints.createListing, { body: input });
  }

  /** A page of listings you can see, newest first (`mine: 'true'` for yours). */
  list(query: z.input<typeof endpoints.listListings.query> = {}): Promise<Page<Listing>> {
    return this.context.transport.call(endpoints.listListings, { query });
  }

  /** Searches with words, filters and facets. */
  search(query: z.input<typeof endpoints.searchListings.query> = {}): Promise<ListingSearchResult> {
    return this.context.transport.call(endpoints.searchListings, { query });
  }

  /** One listing with its versions, installs and ratings. */
  get(listingId: string): Promise<Listing> {
    return this.context.transport.call(endpoints.getListing, { params: { id: listingId } });
  }

  /** Changes a listing's text, category, tags, visibility or price (its publisher). */
  update(listingId: string, input: z.input<typeof endpoints.updateListing.body>): Promise<Listing> {
    return this.context.transport.call(endpoints.updateListing, { params: { id: listingId }, body: input });
  }

  /** Takes a listing off the marketplace; what was installed stays. */
  async remove(listingId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteListing, { params: { id: listingId } });
  }

  /** Publishes a new, higher version, rebuilt from the sources by default. */
  publishVersion(listingId: string, input: z.input<typeof endpoints.createListingVersion.body>): Promise<Listing> {
    return this.context.transport.call(endpoints.createListingVersion, { params: { id: listingId }, body: input });
  }

  /** One version with the full content it installs. */
  getVersion(listingId: string, version: string): Promise<ListingVersion> {
    return this.context.transport.call(endpoints.getListingVersion, { params: { id: listingId, version } });
  }

  /** Copies a listing into an unlisted draft of your own, with attribution. */
  fork(listingId: string, input: z.input<typeof endpoints.forkListing.body> = {}): Promise<Listing> {
    return this.context.transport.call(endpoints.forkListing, { params: { id: listingId }, body: input });
  }

  /**
   * Buys a one-off listing, rents a rental one or subscribes to one priced monthly or by use (which
   * needs `spendingLimitCredits`) with your workspace's credits; then install it.
   */
  purchase(listingId: string, input: z.input<typeof endpoints.purchaseListing.body> = {}): Promise<Purchase> {
    return this.context.transport.call(endpoints.purchaseListing, { params: { id: listingId }, body: input });
  }

  /** Your workspace's subscriptions, monthly and by use, with what this period cost so far. */
  async subscriptions(query: z.input<typeof endpoints.listSubscriptions.query> = {}): Promise<Subscription[]> {
    return (await this.context.transport.call(endpoints.listSubscriptions, { query })).data;
  }

  /** Cancels a subscription at its period's end (or takes that back), or changes a usage spending limit. */
  updateSubscription(subscriptionId: string, input: z.input<typeof endpoints.updateSubscription.body>): Promise<Subscription> {
    return this.context.transport.call(endpoints.updateSubscription, { params: { id: subscriptionId }, body: input });
  }

  /** Connects the Stripe account (acct_…) your earnings, or an organisation's, are paid out to. */
  setPayoutAccount(input: z.input<typeof endpoints.setPayoutAccount.body>): Promise<PayoutAccount> {
    return this.context.transport.call(endpoints.setPayoutAccount, { body: input });
  }

  /** Pays out earnings: a Stripe Connect transfer to the connected account, or recorded when none is connected. */
  payOut(input: z.input<typeof endpoints.createPayout.body>): Promise<Payout> {
    return this.context.transport.call(endpoints.createPayout, { body: input });
  }

  /** Your payouts and your organisations', newest first. */
  async payouts(): Promise<Payout[]> {
    return (await this.context.transport.call(endpoints.listPayouts)).data;
  }

  /** Your publisher history (or an organisation's you administer), sale by sale, newest first. */
  earningTransactions(
    query: Omit<z.input<typeof endpoints.listPublisherTransactions.query>, 'format'> = {},
  ): Promise<Page<CreditTransaction>> {
    return this.context.transport.call(endpoints.listPublisherTransactions, { query });
  }

  /** What your listings (and your organisations') earned, after the platform's fee. */
  earnings(): Promise<PublisherEarnings> {
    return this.context.transport.call(endpoints.getPublisherEarnings);
  }

  /** Installs a listing into your workspace (the latest version unless one is named). */
  install(listingId: string, input: z.input<typeof endpoints.installListing.body> = {}): Promise<Installation> {
    return this.context.transport.call(endpoints.installListing, { params: { id: listingId }, body: input });
  }
}

/** Installations of marketplace listings in your workspace. */
export class InstallationsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.marketplace.installations`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Installations, newest first (active ones unless `status` says otherwise). */
  async list(query: z.input<typeof endpoints.listInstallations.query> = {}): Promise<Installation[]> {
    return (await this.context.transport.call(endpoints.listInstallations, { query })).data;
  }

  /** What upgrading to a version would change, field by field. */
  previewUpgrade(installationId: string, version: string): Promise<UpgradePreview> {
    return this.context.transport.call(endpoints.previewInstallationUpgrade, { params: { id: installationId }, query: { version } });
  }

  /** Upgrades to a version, keeping what the workspace changed. */
  upgrade(installationId: string, version: string): Promise<Installation> {
    return this.context.transport.call(endpoints.upgradeInstallation, { params: { id: installationId }, body: { version } });
  }

  /** Deletes what the installation created. */
  uninstall(installationId: string): Promise<Installation> {
    return this.context.transport.call(endpoints.uninstallListing, { params: { id: installationId } });
  }

  /** Gives or takes back consent to count this installation's results in its listing's figures. */
  update(installationId: string, input: z.input<typeof endpoints.updateInstallation.body>): Promise<Installation> {
    return this.context.transport.call(endpoints.updateInstallation, { params: { id: installationId }, body: input });
  }
}

/** Ratings and reviews of listings, and their moderation by the server's administrators. */
export class MarketplaceReviewsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.marketplace.reviews`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Rates and reviews a listing you installed; posting again replaces your review. */
  post(listingId: string, input: z.input<typeof endpoints.reviewListing.body>): Promise<Review> {
    return this.context.transport.call(endpoints.reviewListing, { params: { id: listingId }, body: input });
  }

  /** Published reviews of a listing, newest first. */
  list(listingId: string, query: z.input<typeof endpoints.listReviews.query> = {}): Promise<Page<Review>> {
    return this.context.transport.call(endpoints.listReviews, { params: { id: listingId }, query });
  }

  /** Answers a review as the listing's publisher. */
  reply(listingId: string, reviewId: string, body: string): Promise<Review> {
    return this.context.transport.call(endpoints.replyToReview, { params: { id: listingId, reviewId }, body: { body } });
  }

  /** Reports a review to the moderators. */
  async report(listingId: string, reviewId: string, reason: string): Promise<void> {
    await this.context.transport.call(endpoints.reportReview, { params: { id: listingId, reviewId }, body: { reason } });
  }

  /** Reviews waiting for a moderator, or decided ones (server administrators). */
  moderationQueue(query: z.input<typeof endpoints.listModerationQueue.query> = {}): Promise<Page<ModerationItem>> {
    return this.context.transport.call(endpoints.listModerationQueue, { query });
  }

  /** Approves or rejects a review with a reason (server administrators). */
  moderate(reviewId: string, input: z.input<typeof endpoints.moderateReview.body>): Promise<Review> {
    return this.context.transport.call(endpoints.moderateReview, { params: { id: reviewId }, body: input });
  }

  /** The moderation word list (server administrators). */
  async blockedWords(): Promise<string[]> {
    return (await this.context.transport.call(endpoints.getModerationSettings)).blockedWords;
  }

  /** Replaces the moderation word list (server administrators). */
  async setBlockedWords(blockedWords: string[]): Promise<string[]> {
    return (await this.context.transport.call(endpoints.updateModerationSettings, { body: { blockedWords } })).blockedWords;
  }
}
