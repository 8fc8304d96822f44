import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { prefersCsv } from '../../http/content-negotiation.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { InstallationService } from './installation.service.js';
import type { InstallationUpgradeService } from './installation-upgrade.service.js';
import type { ListingService } from './listing.service.js';
import type { ListingSearchService } from './listing-search.service.js';
import type { PayoutService } from './payout.service.js';
import type { PurchaseService } from './purchase.service.js';
import type { RentalService } from './rental.service.js';
import type { ReviewService } from './review.service.js';
import type { SubscriptionService } from './subscription.service.js';

export interface MarketplaceRouteServices {
  listings: ListingService;
  listingSearch: ListingSearchService;
  installations: InstallationService;
  installationUpgrades: InstallationUpgradeService;
  reviews: ReviewService;
  purchases: PurchaseService;
  rentals: RentalService;
  subscriptions: SubscriptionService;
  payouts: PayoutService;
}

export async function marketplaceRoutes(app: FastifyInstance, services: MarketplaceRouteServices): Promise<void> {
  const { listings, listingSearch, installations, installationUpgrades, reviews, purchases, rentals, subscriptions, payouts } = services;
  registerEndpoint(app, endpoints.createListing, async (request) => listings.createListing(request.principal, request.body));
  registerEndpoint(app, endpoints.listListings, async (request) => listings.listListings(request.principal, request.query));
  registerEndpoint(app, endpoints.getListing, async (request) => listings.getListing(request.principal, request.params.id));
  registerEndpoint(app, endpoints.updateListing, async (request) =>
    listings.updateListing(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteListing, async (request) => {
    await listings.deleteListing(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.createListingVersion, async (request) =>
    listings.createVersion(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.getListingVersion, async (request) =>
    listings.getVersion(request.principal, request.params.id, request.params.version),
  );
  registerEndpoint(app, endpoints.forkListing, async (request) => listings.forkListing(request.principal, request.params.id, request.body));
  registerEndpoint(app, endpoints.searchListings, async (request) => listingSearch.searchListings(request.principal, request.query));

  registerEndpoint(app, endpoints.purchaseListing, async (request) =>
    purchases.purchaseListing(request.principal, request.params.id, request.body ?? {}),
  );
  registerEndpoint(app, endpoints.listSubscriptions, async (request) => subscriptions.listSubscriptions(request.principal, request.query));
  registerEndpoint(app, endpoints.updateSubscription, async (request) =>
    subscriptions.updateSubscription(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.refundCreditTransaction, async (request) =>
    purchases.refundPurchase(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listPublisherTransactions, async (request, reply) => {
    if (request.query.format === 'csv' || prefersCsv(request.headers.accept)) {
      const csv = await purchases.exportEarningTransactionsCsv(request.principal, request.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="earnings.csv"').send(csv);
    }
    return purchases.listEarningTransactions(request.principal, request.query);
  });
  registerEndpoint(app, endpoints.getPublisherEarnings, async (request) => purchases.getEarnings(request.principal));
  registerEndpoint(app, endpoints.setPayoutAccount, async (request) => payouts.setPayoutAccount(request.principal, request.body));
  registerEndpoint(app, endpoints.createPayout, async (request, reply) => {
    const payout = await payouts.createPayout(request.principal, request.body);
    return reply.code(201).send(payout);
  });
  registerEndpoint(app, endpoints.listPayouts, async (request) => payouts.listPayouts(request.principal));
  registerEndpoint(app, endpoints.listRentals, async (request) => rentals.listRentals(request.principal, request.query));
  registerEndpoint(app, endpoints.openDispute, async (request) => rentals.openDispute(request.principal, request.body));
  registerEndpoint(app, endpoints.listDisputes, async (request) => rentals.listDisputes(request.principal, request.query));
  registerEndpoint(app, endpoints.resolveDispute, async (request) =>
    rentals.resolveDispute(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.installListing, async (request) =>
    installations.installListing(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.updateInstallation, async (request) =>
    installations.updateInstallation(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.listInstallations, async (request) => installations.listInstallations(request.principal, request.query));
  registerEndpoint(app, endpoints.previewInstallationUpgrade, async (request) =>
    installationUpgrades.previewUpgrade(request.principal, request.params.id, request.query.version),
  );
  registerEndpoint(app, endpoints.upgradeInstallation, async (request) =>
    installationUpgrades.upgradeInstallation(request.principal, request.params.id, request.body.version),
  );
  registerEndpoint(app, endpoints.uninstallListing, async (request) =>
    installations.uninstallListing(request.principal, request.params.id),
  );

  registerEndpoint(app, endpoints.reviewListing, async (request, reply) => {
    const { review, created } = await reviews.reviewListing(request.principal, request.params.id, request.body);
    // 200 is the endpoint's first status; a new review answers 201.
    return created ? reply.code(201).send(review) : review;
  });
  registerEndpoint(app, endpoints.listReviews, async (request) => reviews.listReviews(request.principal, request.params.id, request.query));
  registerEndpoint(app, endpoints.replyToReview, async (request) =>
    reviews.replyToReview(request.principal, request.params.id, request.params.reviewId, request.body.body),
  );
  registerEndpoint(app, endpoints.reportReview, async (request) =>
    reviews.reportReview(request.principal, request.params.id, request.params.reviewId, request.body.reason),
  );
  registerEndpoint(app, endpoints.listModerationQueue, async (request) => reviews.listModerationQueue(request.principal, request.query));
  registerEndpoint(app, endpoints.moderateReview, async (request) =>
    reviews.moderateReview(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.getModerationSettings, async (request) => reviews.getModerationSettings(request.principal));
  registerEndpoint(app, endpoints.updateModerationSettings, async (request) =>
    reviews.updateModerationSettings(request.principal, request.body.blockedWords),
  );
}
