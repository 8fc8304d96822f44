import type {
  CreditTransaction,
  ListingPricing,
  ListPublisherTransactionsQuery,
  Page,
  PublisherEarnings,
  Purchase,
  PurchaseListingInput,
  RefundCreditsInput,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CreditService } from '../credits/credit.service.js';
import { workspaceAccount } from '../credits/credit.service.js';
import type { CreditAccountReference } from '../credits/credit-ledger.js';
import { platformAccount } from '../credits/credit-ledger.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { UserService } from '../users/user.service.js';
import { deleteEntitlementOfPurchase, findEntitlement, insertEntitlement, type ListingRow } from './listing.repository.js';
import type { ListingService } from './listing.service.js';
import { canEditListing, readPricing } from './listing-views.js';
import { publisherAccount, rentalEscrowAccount } from './marketplace-accounts.js';
import { countRentals, findCurrentRental, insertRental } from './rental.repository.js';
import type { SubscriptionService } from './subscription.service.js';

export interface PurchaseServiceDependencies {
  listings: Pick<ListingService, 'viewerOf' | 'requireVisibleListing'>;
  credits: Pick<
    CreditService,
    | 'recordMovement'
    | 'balanceOf'
    | 'countPurchases'
    | 'presentTransactions'
    | 'refundTransaction'
    | 'summarisePublisher'
    | 'listAccountTransactions'
    | 'exportAccountTransactionsCsv'
  >;
  organizations: Pick<OrganizationDirectory, 'findOrganizationNames'>;
  users: Pick<UserService, 'findUsers'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  subscriptions: Pick<SubscriptionService, 'subscribe' | 'hasActiveSubscription'>;
  /** The platform's share of a sale, in percent. */
  feePercent: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Buying listings with credits, what publishers earned, and whether a workspace may install a paid listing. */
export class PurchaseService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: PurchaseServiceDependencies,
  ) {}

  /**
   * Whether the workspace may install the listing: it bought it (and the purchase was not refunded
   * in full), or a rental of it runs now (paid, not refunded, not past its end).
   */
  async hasEntitlement(listingId: string, workspaceId: string, executor: DatabaseExecutor = this.context.db): Promise<boolean> {
    if ((await findEntitlement(executor, listingId, workspaceId)) !== undefined) return true;
    if (await this.dependencies.subscriptions.hasActiveSubscription(listingId, workspaceId, executor)) return true;
    return (await findCurrentRental(executor, listingId, workspaceId, this.context.clock.now().toISOString())) !== undefined;
  }

  async purchaseListing(principal: Principal, listingId: string, input: PurchaseListingInput = {}): Promise<Purchase> {
    assertCan(principal, 'agent:manage');
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const listing = await this.dependencies.listings.requireVisibleListing(viewer, listingId);
    const pricing = readPricing(listing);
    if (pricing.model === 'free') {
      throw new AppError('LISTING_NOT_FOR_SALE', `${listing.title} cannot be bought: it is free: install it directly.`, { pricing });
    }
    if (canEditListing(listing, viewer)) {
      throw new AppError('LISTING_NOT_FOR_SALE', `${listing.title} is yours: install it without buying it.`, { pricing });
    }
    if (pricing.model === 'rental') return this.rentListing(principal, listing, pricing);
    if (pricing.model === 'subscription' || pricing.model === 'usage') {
      return this.dependencies.subscriptions.subscribe(principal, listing, pricing, input);
    }
    const price = pricing.priceCredits;
    const fee = Math.floor((price * this.dependencies.feePercent) / 100);
    const workspaceId = principal.workspaceId;
    const transaction = await this.context.db.transaction().execute(async (trx) => {
      if ((await findEntitlement(trx, listing.id, workspaceId)) !== undefined) {
        throw new AppError('LISTING_ALREADY_BOUGHT', `This workspace already bought ${listing.title}. Install it.`);
      }
      const previous = await this.dependencies.credits.countPurchases(listing.id, workspaceId, trx);
      const { transaction: recorded, replayed } = await this.dependencies.credits.recordMovement(trx, {
        kind: 'purchase',
        // One key per purchase of this listing by this workspace: a concurrent second purchase gets the same key and lands nothing.
        key: `purchase:${listing.id}:${workspaceId}:${previous + 1}`,
        description: `Bought ${listing.title} ${listing.latest_version}`,
        workspaceId,
        listingId: listing.id,
        refundOf: null,
        actor: { kind: 'user', id: principal.id },
        entries: [
          { account: workspaceAccount(workspaceId), amount: -price },
          { account: publisherAccount(listing), amount: price - fee },
          { account: platformAccount, amount: fee },
        ],
      });
      if (replayed) throw new AppError('LISTING_ALREADY_BOUGHT', `This workspace already bought ${listing.title}. Install it.`);
      const now = this.context.clock.now().toISOString();
      await insertEntitlement(trx, { listing_id: listing.id, workspace_id: workspaceId, transaction_id: recorded.id, created_at: now });
      await this.dependencies.audit.recordAuditEntry(trx, {
        workspaceId,
        actor: principal,
        action: 'credits.spent',
        targetKind: 'listing',
        targetId: listing.id,
        summary: `${price} credits paid for ${listing.title} (${fee} to the platform)`,
        after: { price, fee },
      });
      return recorded;
    });
    const account = workspaceAccount(workspaceId);
    const [presented] = await this.dependencies.credits.presentTransactions([transaction], null);
    if (!presented) throw new Error('A recorded purchase could not be read back.');
    const balance = await this.dependencies.credits.balanceOf(account);
    return {
      listingId: listing.id,
      workspaceId,
      transaction: { ...presented, amount: -price },
      balance,
    };
  }

  /**
   * Rents a listing: the price moves from the workspace into the rental's escrow (nothing reaches
   * the publisher before the period ends), and the rental gives access until `ends_at`.
   */
  private async rentListing(
    principal: Principal,
    listing: ListingRow,
    pricing: Extract<ListingPricing, { model: 'rental' }>,
  ): Promise<Purchase> {
    const price = pricing.priceCredits;
    const workspaceId = principal.workspaceId;
    const rentalId = createId();
    const now = this.context.clock.now();
    const endsAt = new Date(now.getTime() + pricing.days * dayMs);
    const transaction = await this.context.db.transaction().execute(async (trx) => {
      const current = await findCurrentRental(trx, listing.id, workspaceId, now.toISOString());
      if (current) {
        throw new AppError(
          'LISTING_ALREADY_BOUGHT',
          `This workspace rents ${listing.title} until ${new Date(current.ends_at).toISOString()}. Install it; rent it again after that.`,
          { rentalId: current.id },
        );
      }
      const previous = await countRentals(trx, listing.id, workspaceId);
      const { transaction: recorded, replayed } = await this.dependencies.credits.recordMovement(trx, {
        kind: 'purchase',
        // One key per rental of this listing by this workspace: a concurrent second rental gets the same key and lands nothing.
        key: `rental:${listing.id}:${workspaceId}:${previous + 1}`,
        description: `Rented ${listing.title} for ${pricing.days} days (held in escrow until the end)`,
        workspaceId,
        listingId: listing.id,
        refundOf: null,
        actor: { kind: 'user', id: principal.id },
        entries: [
          { account: workspaceAccount(workspaceId), amount: -price },
          { account: rentalEscrowAccount(rentalId), amount: price },
        ],
      });
      if (replayed) throw new AppError('LISTING_ALREADY_BOUGHT', `This workspace already rents ${listing.title}. Install it.`);
      await insertRental(trx, {
        id: rentalId,
        listing_id: listing.id,
        workspace_id: workspaceId,
        transaction_id: recorded.id,
        price_credits: price,
        starts_at: now.toISOString(),
        ends_at: endsAt.toISOString(),
        status: 'active',
        access_ended_at: null,
        created_by: principal.kind === 'user' ? principal.id : null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      await this.dependencies.audit.recordAuditEntry(trx, {
        workspaceId,
        actor: principal,
        action: 'rental.started',
        targetKind: 'listing',
        targetId: listing.id,
        summary: `${price} credits paid into escrow to rent ${listing.title} until ${endsAt.toISOString()}`,
        after: { rentalId, price, days: pricing.days, endsAt: endsAt.toISOString() },
      });
      return recorded;
    });
    const [presented] = await this.dependencies.credits.presentTransactions([transaction], null);
    if (!presented) throw new Error('A recorded rental payment could not be read back.');
    return {
      listingId: listing.id,
      workspaceId,
      transaction: { ...presented, amount: -price },
      balance: await this.dependencies.credits.balanceOf(workspaceAccount(workspaceId)),
      rental: { id: rentalId, endsAt: endsAt.toISOString(), status: 'active' },
    };
  }

  /** Refunds a purchase (server administrators); a full refund takes the entitlement back. */
  refundPurchase(principal: Principal, transactionId: string, input: RefundCreditsInput): Promise<CreditTransaction> {
    return this.dependencies.credits.refundTransaction(principal, transactionId, input, (executor, purchase) =>
      deleteEntitlementOfPurchase(executor, purchase.id),
    );
  }

  /** The publisher account whose history a person may read: their own, or an organisation's they administer. */
  private async publisherAccountOf(principal: Principal, organizationId: string | undefined): Promise<CreditAccountReference> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Earnings are a person’s or an organisation’s: sign in as a person.');
    if (organizationId === undefined) return { kind: 'publisher-user', ownerId: principal.id };
    if (!viewer.adminOrganizationIds.includes(organizationId)) {
      throw new AppError('FORBIDDEN', 'Only the owners and admins of that organisation read its earnings.');
    }
    return { kind: 'publisher-organization', ownerId: organizationId };
  }

  async listEarningTransactions(principal: Principal, query: ListPublisherTransactionsQuery): Promise<Page<CreditTransaction>> {
    return this.dependencies.credits.listAccountTransactions(await this.publisherAccountOf(principal, query.organizationId), query);
  }

  async exportEarningTransactionsCsv(principal: Principal, query: ListPublisherTransactionsQuery): Promise<string> {
    return this.dependencies.credits.exportAccountTransactionsCsv(await this.publisherAccountOf(principal, query.organizationId), query);
  }

  async getEarnings(principal: Principal): Promise<PublisherEarnings> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const [user] = await this.dependencies.users.findUsers([principal.id]);
    const organizations = await this.dependencies.organizations.findOrganizationNames(viewer.adminOrganizationIds);
    const publishers = [
      { kind: 'user' as const, id: principal.id, name: user?.name ?? 'You' },
      ...viewer.adminOrganizationIds.map((id) => ({ kind: 'organization' as const, id, name: organizations.get(id) ?? 'An organisation' })),
    ];
    const summaries = [];
    for (const publisher of publishers) {
      const summary = await this.dependencies.credits.summarisePublisher({
        kind: publisher.kind === 'user' ? 'publisher-user' : 'publisher-organization',
        ownerId: publisher.id,
      });
      summaries.push({ ...publisher, ...summary });
    }
    return { publishers: summaries, feePercent: this.dependencies.feePercent };
  }
}
