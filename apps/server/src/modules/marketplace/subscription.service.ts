import type {
  ListingPricing,
  ListSubscriptionsQuery,
  Purchase,
  PurchaseListingInput,
  Subscription,
  SubscriptionStopReason,
  UpdateSubscriptionInput,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { systemPrincipal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { runInOneTransaction } from '../../db/request-transaction.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CreditService } from '../credits/credit.service.js';
import { workspaceAccount } from '../credits/credit.service.js';
import { platformAccount } from '../credits/credit-ledger.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { pauseInstallationsOfListing, resumeInstallationsOfListing } from './installation-access.js';
import { findListingRowEvenDeleted, findListingRows, type ListingRow } from './listing.repository.js';
import { platformFee, publisherAccount } from './marketplace-accounts.js';
import {
  findLiveSubscription,
  findSubscription,
  insertSubscription,
  listDueSubscriptionIds,
  listSubscriptionRows,
  listUsageStoppedForCredits,
  type SubscriptionRow,
  updateSubscriptionInPeriod,
  updateSubscriptionRow,
} from './subscription.repository.js';
import { addMonths, subscriptionKeyPrefix, toSubscription } from './subscription-views.js';

export interface SubscriptionServiceDependencies {
  credits: Pick<CreditService, 'recordMovement' | 'balanceOf' | 'paidByKeyPrefix' | 'presentTransactions'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  agents: Pick<AgentService, 'pauseAgents' | 'resumeAgents'>;
  workspaces: Pick<WorkspaceService, 'listMembers'>;
  notifications: Pick<NotificationService, 'notifyInTransaction'>;
  /** The platform's share of every charge, in percent. */
  feePercent: number;
}

type PricedBy<Model extends ListingPricing['model']> = Extract<ListingPricing, { model: Model }>;

/** Subscriptions renewed in one periodic run at most; the next run takes the rest. */
const renewalsPerRun = 50;

const stopWords: Record<SubscriptionStopReason, string> = {
  'spending-limit': 'it reached its spending limit for this period',
  'credits-insufficient': 'the workspace has too few credits',
};

/**
 * Subscriptions to listings priced monthly or by usage: starting one, the monthly renewal, cancelling
 * at the end of a period, and stopping and resuming what was installed from it.
 */
export class SubscriptionService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: SubscriptionServiceDependencies,
  ) {}

  /** Whether a subscription gives the workspace access to the listing now. */
  async hasActiveSubscription(listingId: string, workspaceId: string, executor: DatabaseExecutor = this.context.db): Promise<boolean> {
    return (await findLiveSubscription(executor, listingId, workspaceId))?.status === 'active';
  }

  /** What the current period of a subscription cost so far, read from the ledger. */
  spentThisPeriod(row: SubscriptionRow): Promise<number> {
    return this.dependencies.credits.paidByKeyPrefix(
      row.workspace_id,
      subscriptionKeyPrefix(row.id),
      new Date(row.period_start).toISOString(),
    );
  }

  private async present(row: SubscriptionRow, title?: string): Promise<Subscription> {
    const name = title ?? (await findListingRowEvenDeleted(this.context.db, row.listing_id))?.title;
    return toSubscription(row, { title: name, spentThisPeriod: await this.spentThisPeriod(row) });
  }

  /** Charges a subscription's period: the workspace pays, the publisher earns it less the platform's fee. */
  private async chargePeriod(listing: ListingRow, row: SubscriptionRow, periodNumber: number, actor: Principal | null) {
    const amount = Number(row.monthly_credits ?? 0);
    const fee = platformFee(amount, this.dependencies.feePercent);
    return this.dependencies.credits.recordMovement(this.context.db, {
      kind: 'subscription',
      key: `${subscriptionKeyPrefix(row.id)}period:${periodNumber}`,
      description: `Subscription to ${listing.title}, month ${periodNumber}`,
      workspaceId: row.workspace_id,
      listingId: row.listing_id,
      refundOf: null,
      actor: actor?.kind === 'user' ? { kind: 'user', id: actor.id } : { kind: 'system', id: null },
      entries: [
        { account: workspaceAccount(row.workspace_id), amount: -amount },
        { account: publisherAccount(listing), amount: amount - fee },
        { account: platformAccount, amount: fee },
      ],
    });
  }

  /**
   * Starts a subscription (the first month charged at once) or a usage subscription (nothing
   * charged now; its spending limit is required). A workspace holds one live subscription to a listing.
   */
  async subscribe(
    principal: Principal,
    listing: ListingRow,
    pricing: PricedBy<'subscription'> | PricedBy<'usage'>,
    input: PurchaseListingInput,
  ): Promise<Purchase> {
    if (pricing.model === 'usage' && input.spendingLimitCredits === undefined) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${listing.title} is paid by use: say the most a month may cost (spendingLimitCredits). You are warned at 80 % and it stops at 100 %.`,
        { issues: [{ path: ['spendingLimitCredits'], message: 'Required for usage pricing' }] },
      );
    }
    const workspaceId = principal.workspaceId;
    const now = this.context.clock.now();
    const id = createId();
    const row = {
      id,
      listing_id: listing.id,
      workspace_id: workspaceId,
      model: pricing.model,
      status: 'active',
      monthly_credits: pricing.model === 'subscription' ? pricing.monthlyCredits : null,
      unit: pricing.model === 'usage' ? pricing.unit : null,
      credits_per_unit: pricing.model === 'usage' ? pricing.creditsPerUnit : null,
      spending_limit_credits: pricing.model === 'usage' ? (input.spendingLimitCredits ?? null) : null,
      uncharged_tokens: 0,
      period_number: 1,
      period_start: now.toISOString(),
      period_end: addMonths(now, 1).toISOString(),
      cancel_at_period_end: 0,
      warned_period: null,
      stopped_reason: null,
      created_by: principal.kind === 'user' ? principal.id : null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    } satisfies SubscriptionRow;
    const transaction = await runInOneTransaction(this.context.db, async () => {
      const live = await findLiveSubscription(this.context.db, listing.id, workspaceId);
      if (live) {
        throw new AppError(
          'LISTING_ALREADY_BOUGHT',
          `This workspace already subscribes to ${listing.title}. Install it, or change the subscription with PATCH /api/v1/marketplace/subscriptions/${live.id}.`,
          { subscriptionId: live.id },
        );
      }
      await insertSubscription(this.context.db, row);
      const charged = pricing.model === 'subscription' ? (await this.chargePeriod(listing, row, 1, principal)).transaction : null;
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId,
        actor: principal,
        action: 'subscription.started',
        targetKind: 'listing',
        targetId: listing.id,
        summary:
          pricing.model === 'subscription'
            ? `Subscribed to ${listing.title} for ${pricing.monthlyCredits} credits a month`
            : `Subscribed to ${listing.title} by use (${pricing.creditsPerUnit} credits per ${pricing.unit}), at most ${input.spendingLimitCredits} credits a month`,
        after: { subscriptionId: id, pricing, spendingLimitCredits: input.spendingLimitCredits ?? null },
      });
      return charged;
    });
    const [presented] = transaction ? await this.dependencies.credits.presentTransactions([transaction], null) : [];
    return {
      listingId: listing.id,
      workspaceId,
      transaction: presented ? { ...presented, amount: -Number(row.monthly_credits ?? 0) } : null,
      balance: await this.dependencies.credits.balanceOf(workspaceAccount(workspaceId)),
      subscription: await this.present(row, listing.title),
    };
  }

  async listSubscriptions(principal: Principal, query: ListSubscriptionsQuery): Promise<{ data: Subscription[] }> {
    assertCan(principal, 'workspace:read');
    const rows = await listSubscriptionRows(this.context.db, principal.workspaceId, query.status);
    const titles = new Map(
      (await findListingRows(this.context.db, [...new Set(rows.map((row) => row.listing_id))])).map((row) => [row.id, row.title]),
    );
    const data: Subscription[] = [];
    for (const row of rows) data.push(await this.present(row, titles.get(row.listing_id)));
    return { data };
  }

  /** Cancels at the period's end (or takes that back), or changes a usage limit; a raised limit resumes a stopped subscription. */
  async updateSubscription(principal: Principal, subscriptionId: string, input: UpdateSubscriptionInput): Promise<Subscription> {
    assertCan(principal, 'workspace:manage');
    const before = await findSubscription(this.context.db, subscriptionId);
    if (!before || before.workspace_id !== principal.workspaceId) {
      throw new AppError(
        'SUBSCRIPTION_NOT_FOUND',
        'No subscription with this id in your workspace. List them with GET /api/v1/marketplace/subscriptions.',
      );
    }
    if (before.status === 'ended') {
      throw new AppError('SUBSCRIPTION_ENDED', 'This subscription has ended. Subscribe to the listing again to go on using it.');
    }
    if (input.spendingLimitCredits !== undefined && before.model !== 'usage') {
      throw new AppError('VALIDATION_FAILED', 'Only a subscription paid by use has a spending limit; this one is charged monthly.', {
        issues: [{ path: ['spendingLimitCredits'], message: 'Usage subscriptions only' }],
      });
    }
    await runInOneTransaction(this.context.db, async () => {
      const now = this.context.clock.now().toISOString();
      await updateSubscriptionRow(this.context.db, before.id, {
        ...(input.cancelAtPeriodEnd === undefined ? {} : { cancel_at_period_end: input.cancelAtPeriodEnd ? 1 : 0 }),
        ...(input.spendingLimitCredits === undefined ? {} : { spending_limit_credits: input.spendingLimitCredits }),
        updated_at: now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: before.workspace_id,
        actor: principal,
        action: 'subscription.updated',
        targetKind: 'listing',
        targetId: before.listing_id,
        summary:
          input.cancelAtPeriodEnd === true
            ? 'Subscription cancelled at the end of its period'
            : input.cancelAtPeriodEnd === false
              ? 'Subscription cancellation taken back'
              : `Spending limit set to ${input.spendingLimitCredits} credits a month`,
        before: { cancelAtPeriodEnd: before.cancel_at_period_end === 1, spendingLimitCredits: before.spending_limit_credits },
        after: input,
      });
      const after = await findSubscription(this.context.db, before.id);
      if (
        after?.status === 'stopped' &&
        after.stopped_reason === 'spending-limit' &&
        Number(after.spending_limit_credits) > (await this.spentThisPeriod(after))
      ) {
        await this.resumeSubscription(after, 'the spending limit was raised');
      }
    });
    const row = await findSubscription(this.context.db, before.id);
    if (!row) throw new Error('An updated subscription could not be read back.');
    return this.present(row);
  }

  /** The workspace's owners, and the person who subscribed (an admin who can change the limit) if still a member. */
  private async notifyOwners(row: SubscriptionRow, content: string): Promise<void> {
    const workspaceId = row.workspace_id;
    const members = await this.dependencies.workspaces.listMembers(systemPrincipal(workspaceId));
    await this.dependencies.notifications.notifyInTransaction(
      this.context.db,
      workspaceId,
      null,
      members
        .filter((member) => member.role === 'owner' || member.user.id === row.created_by)
        .map((member) => ({
          recipient: { kind: 'user' as const, id: member.user.id },
          taskId: null,
          reason: 'system' as const,
          kind: 'system' as const,
          content,
        })),
    );
  }

  /** Tells the workspace’s owners (and who subscribed) once per period that a usage subscription passed 80 % of its limit. */
  async warnNearLimit(row: SubscriptionRow, spent: number, title: string): Promise<void> {
    if (row.warned_period === row.period_number) return;
    await updateSubscriptionRow(this.context.db, row.id, {
      warned_period: row.period_number,
      updated_at: this.context.clock.now().toISOString(),
    });
    await this.notifyOwners(
      row,
      `${title} has used ${spent} of its ${Number(row.spending_limit_credits)} credits this month (80 % or more). At the limit what you installed from it stops; raise the limit in the marketplace’s subscriptions to go on.`,
    );
  }

  /** Stops a subscription: what was installed from it is paused, and the owners are told why. Runs in the caller's transaction. */
  async stopSubscription(row: SubscriptionRow, reason: SubscriptionStopReason, title: string): Promise<void> {
    const now = this.context.clock.now().toISOString();
    await updateSubscriptionRow(this.context.db, row.id, { status: 'stopped', stopped_reason: reason, updated_at: now });
    const paused = await pauseInstallationsOfListing(this.context.db, this.dependencies.agents, {
      workspaceId: row.workspace_id,
      listingId: row.listing_id,
      reason: `subscription-${reason}`,
      now,
    });
    await this.dependencies.audit.recordAuditEntry(this.context.db, {
      workspaceId: row.workspace_id,
      actor: 'system',
      action: 'subscription.stopped',
      targetKind: 'listing',
      targetId: row.listing_id,
      summary: `The subscription to ${title} stopped: ${stopWords[reason]}; ${paused} installation(s) paused`,
      after: { subscriptionId: row.id, reason, paused },
    });
    const next =
      reason === 'spending-limit'
        ? 'Raise the spending limit, or wait for the next month, and it resumes.'
        : 'Add credits and it resumes within a minute.';
    await this.notifyOwners(
      row,
      `Your subscription to ${title} stopped: ${stopWords[reason]}. What you installed from it is paused. ${next}`,
    );
  }

  private async resumeSubscription(row: SubscriptionRow, why: string): Promise<void> {
    const now = this.context.clock.now().toISOString();
    await updateSubscriptionRow(this.context.db, row.id, { status: 'active', stopped_reason: null, updated_at: now });
    await resumeInstallationsOfListing(this.context.db, this.dependencies.agents, {
      workspaceId: row.workspace_id,
      listingId: row.listing_id,
      reason: 'subscription-resumed',
      now,
    });
    await this.dependencies.audit.recordAuditEntry(this.context.db, {
      workspaceId: row.workspace_id,
      actor: 'system',
      action: 'subscription.resumed',
      targetKind: 'listing',
      targetId: row.listing_id,
      summary: `The subscription resumed: ${why}`,
      after: { subscriptionId: row.id },
    });
  }

  /**
   * Starts the next period of every subscription whose period is over (the periodic job; tests
   * call it with their clock): a monthly one is charged again, a usage one starts its limit again;
   * one cancelled at the period's end ends, and what was installed from it is paused.
   */
  async renewDueSubscriptions(): Promise<number> {
    const due = await listDueSubscriptionIds(this.context.db, this.context.clock.now().toISOString(), renewalsPerRun);
    let renewed = 0;
    for (const { id } of due) if (await this.renewSubscription(id)) renewed += 1;
    for (const row of await listUsageStoppedForCredits(this.context.db, renewalsPerRun)) {
      const balance = await this.dependencies.credits.balanceOf(workspaceAccount(row.workspace_id));
      if (balance >= Number(row.credits_per_unit ?? 0))
        await runInOneTransaction(this.context.db, () => this.resumeSubscription(row, 'credits arrived'));
    }
    return renewed;
  }

  private async renewSubscription(subscriptionId: string): Promise<boolean> {
    const row = await findSubscription(this.context.db, subscriptionId);
    if (!row || row.status === 'ended') return false;
    const listing = await findListingRowEvenDeleted(this.context.db, row.listing_id);
    const title = listing?.title ?? 'A removed listing';
    try {
      return await runInOneTransaction(this.context.db, () => this.startNextPeriod(row, listing, title));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CREDITS_INSUFFICIENT') throw error;
      // The period stays where it was, so the next run tries again: credits added meanwhile renew it.
      if (row.status !== 'stopped')
        await runInOneTransaction(this.context.db, () => this.stopSubscription(row, 'credits-insufficient', title));
      return false;
    }
  }

  private async startNextPeriod(row: SubscriptionRow, listing: ListingRow | undefined, title: string): Promise<boolean> {
    const now = this.context.clock.now().toISOString();
    const next = row.period_number + 1;
    const start = new Date(row.period_end);
    const ending = row.cancel_at_period_end === 1 || !listing || listing.deleted_at !== null;
    // Conditional on the period read: another instance renewing the same period lands nothing here.
    const moved = await updateSubscriptionInPeriod(this.context.db, row.id, row.period_number, {
      period_number: next,
      period_start: start.toISOString(),
      period_end: addMonths(start, 1).toISOString(),
      ...(ending ? { status: 'ended' } : {}),
      updated_at: now,
    });
    if (!moved) return false;
    if (ending) {
      await pauseInstallationsOfListing(this.context.db, this.dependencies.agents, {
        workspaceId: row.workspace_id,
        listingId: row.listing_id,
        reason: 'subscription-ended',
        now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: row.workspace_id,
        actor: 'system',
        action: 'subscription.ended',
        targetKind: 'listing',
        targetId: row.listing_id,
        summary: `The subscription to ${title} ended at the end of its period`,
        after: { subscriptionId: row.id },
      });
      await this.notifyOwners(
        row,
        `Your subscription to ${title} ended: what you installed from it is paused. Subscribe again to go on using it.`,
      );
      return true;
    }
    if (row.model === 'subscription' && listing) {
      // Too few credits throws CREDITS_INSUFFICIENT, and the whole renewal rolls back.
      await this.chargePeriod(listing, row, next, null);
      if (row.status === 'stopped') await this.resumeSubscription(row, 'the renewal was paid');
    } else if (row.status === 'stopped') {
      // A new month starts the limit again; one stopped for credits tries again too (the next charge stops it if they are still missing).
      await this.resumeSubscription(row, 'a new month started');
    }
    return true;
  }
}
