import type { Activity, UsageUnit } from '@mission-control/contracts';
import type { ServiceContext } from '../../core/service-context.js';
import { runInOneTransaction } from '../../db/request-transaction.js';
import { findLatestEventSeq, listEventsAfter, toActivity } from '../../events/event.repository.js';
import { advanceEventCursor, findEventCursor, insertEventCursor } from '../../events/event-cursor.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CreditService } from '../credits/credit.service.js';
import { workspaceAccount } from '../credits/credit.service.js';
import { platformAccount } from '../credits/credit-ledger.js';
import type { TaskService } from '../tasks/task.service.js';
import { installedAgentIdsOfListing } from './installation-access.js';
import { findListingRowEvenDeleted, type ListingRow } from './listing.repository.js';
import { platformFee, publisherAccount } from './marketplace-accounts.js';
import { findSubscription, listLiveUsageSubscriptions, type SubscriptionRow, updateSubscriptionRow } from './subscription.repository.js';
import type { SubscriptionService } from './subscription.service.js';
import { describeUnits, subscriptionKeyPrefix, usageUnitOf } from './subscription-views.js';

/** The durable cursor of the metering job in `event_cursors` (created at the stream's head by migration 0042). */
export const usageCursorName = 'marketplace-usage';

/** Events one run of the job reads at most; the next run goes on from there. */
const eventsPerRun = 500;

export interface UsageMeteringDependencies {
  credits: Pick<CreditService, 'recordMovement'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  tasks: Pick<TaskService, 'findTasksByIds'>;
  subscriptions: Pick<SubscriptionService, 'spentThisPeriod' | 'warnNearLimit' | 'stopSubscription'>;
  feePercent: number;
}

/** One thing that happened that a usage subscription may charge for. */
interface UsageEvent {
  workspaceId: string;
  /** The agents that did it: the task's assignees, or the agent whose run it was. */
  agentIds: string[];
  unit: UsageUnit;
  /** Tasks and runs count one; tokens count themselves (charged per whole 1,000). */
  quantity: number;
  /** What makes it once only: the task or the run. */
  reference: string;
}

/**
 * Charges usage-priced listings as they are used: follows the event stream from a durable cursor,
 * and for every task done by, run of, or token used by an agent installed from such a listing
 * charges its workspace, once per task or run (the ledger key says which). At 80 % of the period's
 * spending limit the owners are warned; at 100 % the subscription stops and its installs pause.
 */
export class UsageMeteringService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: UsageMeteringDependencies,
  ) {}

  /** Reads the next events after the cursor and charges what they used (the periodic job; tests call it). Answers the charges made. */
  async meterUsage(): Promise<number> {
    const { db } = this.context;
    let from = await findEventCursor(db, usageCursorName);
    if (from === undefined) {
      await insertEventCursor(db, usageCursorName, await findLatestEventSeq(db), this.context.clock.now().toISOString());
      from = (await findEventCursor(db, usageCursorName)) ?? 0;
    }
    const rows = await listEventsAfter(db, { afterSeq: from, limit: eventsPerRun });
    const last = rows.at(-1);
    if (!last) return 0;
    const cursor = from;
    // The cursor moves in the transaction of the charges: on PostgreSQL its row stays locked until
    // the commit, so a second instance reading the same events finds it moved and charges nothing.
    return runInOneTransaction(db, async () => {
      if (!(await advanceEventCursor(db, usageCursorName, cursor, Number(last.seq), this.context.clock.now().toISOString()))) return 0;
      return this.chargeEvents(rows.map(toActivity));
    });
  }

  private async toUsageEvents(activities: readonly Activity[]): Promise<UsageEvent[]> {
    const usage: UsageEvent[] = [];
    const doneTasks = new Map<string, string[]>();
    for (const activity of activities) {
      if (activity.type === 'task-status-changed' && activity.data.to === 'done' && activity.taskId) {
        doneTasks.set(activity.workspaceId, [...(doneTasks.get(activity.workspaceId) ?? []), activity.taskId]);
      }
      if ((activity.type === 'run-finished' || activity.type === 'run-failed') && activity.agentId) {
        const tokens = activity.data.tokensIn + activity.data.tokensOut;
        const base = { workspaceId: activity.workspaceId, agentIds: [activity.agentId], reference: `run:${activity.data.runId}` };
        if (activity.type === 'run-finished') usage.push({ ...base, unit: 'run', quantity: 1 });
        if (tokens > 0) usage.push({ ...base, unit: 'thousand-tokens', quantity: tokens });
      }
    }
    for (const [workspaceId, taskIds] of doneTasks) {
      for (const task of await this.dependencies.tasks.findTasksByIds(workspaceId, taskIds)) {
        const agentIds = task.assignees.filter((assignee) => assignee.kind === 'agent').map((assignee) => assignee.id);
        if (agentIds.length > 0) usage.push({ workspaceId, agentIds, unit: 'task', quantity: 1, reference: `task:${task.id}` });
      }
    }
    return usage;
  }

  private async chargeEvents(activities: readonly Activity[]): Promise<number> {
    const relevant = activities.filter((activity) => ['task-status-changed', 'run-finished', 'run-failed'].includes(activity.type));
    if (relevant.length === 0) return 0;
    const subscriptions = await listLiveUsageSubscriptions(this.context.db, [...new Set(relevant.map((activity) => activity.workspaceId))]);
    if (subscriptions.length === 0) return 0;
    const agentsOf = new Map<string, Set<string>>();
    const listings = new Map<string, ListingRow | undefined>();
    for (const subscription of subscriptions) {
      agentsOf.set(
        subscription.id,
        new Set(await installedAgentIdsOfListing(this.context.db, subscription.workspace_id, subscription.listing_id)),
      );
      if (!listings.has(subscription.listing_id))
        listings.set(subscription.listing_id, await findListingRowEvenDeleted(this.context.db, subscription.listing_id));
    }
    let charges = 0;
    for (const usage of await this.toUsageEvents(relevant)) {
      for (const subscription of subscriptions) {
        const listing = listings.get(subscription.listing_id);
        if (subscription.workspace_id !== usage.workspaceId || usageUnitOf(subscription) !== usage.unit || !listing) continue;
        if (!usage.agentIds.some((agentId) => agentsOf.get(subscription.id)?.has(agentId))) continue;
        if (await this.charge(subscription.id, listing, usage)) charges += 1;
      }
    }
    return charges;
  }

  /** Charges one use to one subscription, then warns or stops it by its limit. True when credits moved. */
  private async charge(subscriptionId: string, listing: ListingRow, usage: UsageEvent): Promise<boolean> {
    // Read again: an earlier charge of this batch may have stopped it or carried tokens.
    const row = await findSubscription(this.context.db, subscriptionId);
    if (row?.status !== 'active') return false;
    let units = usage.quantity;
    if (usage.unit === 'thousand-tokens') {
      const tokens = Number(row.uncharged_tokens) + usage.quantity;
      units = Math.floor(tokens / 1000);
      await updateSubscriptionRow(this.context.db, row.id, { uncharged_tokens: tokens % 1000 });
    }
    if (units === 0) return false;
    const amount = units * Number(row.credits_per_unit ?? 0);
    const fee = platformFee(amount, this.dependencies.feePercent);
    try {
      const { replayed } = await this.dependencies.credits.recordMovement(this.context.db, {
        kind: 'usage',
        key: `${subscriptionKeyPrefix(row.id)}${usage.reference}:${usage.unit}`,
        description: `${listing.title}: ${describeUnits(usage.unit, units)}`,
        workspaceId: row.workspace_id,
        listingId: row.listing_id,
        refundOf: null,
        actor: { kind: 'system', id: null },
        entries: [
          { account: workspaceAccount(row.workspace_id), amount: -amount },
          { account: publisherAccount(listing), amount: amount - fee },
          { account: platformAccount, amount: fee },
        ],
      });
      if (replayed) return false;
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: row.workspace_id,
        actor: 'system',
        action: 'usage.charged',
        targetKind: 'listing',
        targetId: row.listing_id,
        summary: `${amount} credits for ${describeUnits(usage.unit, units)} of ${listing.title}`,
        after: { subscriptionId: row.id, unit: usage.unit, units, amount, fee, reference: usage.reference },
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CREDITS_INSUFFICIENT') throw error;
      await this.dependencies.subscriptions.stopSubscription(row, 'credits-insufficient', listing.title);
      return false;
    }
    await this.checkLimit(row, listing);
    return true;
  }

  private async checkLimit(row: SubscriptionRow, listing: ListingRow): Promise<void> {
    const limit = Number(row.spending_limit_credits ?? 0);
    const spent = await this.dependencies.subscriptions.spentThisPeriod(row);
    if (limit > 0 && spent >= limit) await this.dependencies.subscriptions.stopSubscription(row, 'spending-limit', listing.title);
    else if (limit > 0 && spent * 5 >= limit * 4) await this.dependencies.subscriptions.warnNearLimit(row, spent, listing.title);
  }
}
