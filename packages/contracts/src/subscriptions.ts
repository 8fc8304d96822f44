import { z } from 'zod';
import { idSchema, timestampSchema } from './common.js';

/**
 * Where a subscription stands. active: the workspace may use and install the listing; stopped:
 * a usage subscription reached its spending limit, or a renewal found too few credits (what was
 * installed is paused until the limit is raised, credits arrive or the next period starts);
 * ended: cancelled at the end of its period.
 */
export const subscriptionStatusSchema = z.enum(['active', 'stopped', 'ended']);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

export const subscriptionStopReasonSchema = z.enum(['spending-limit', 'credits-insufficient']);
export type SubscriptionStopReason = z.infer<typeof subscriptionStopReasonSchema>;

export const usageUnitSchema = z.enum(['task', 'thousand-tokens', 'run']);
export type UsageUnit = z.infer<typeof usageUnitSchema>;

/** A workspace's subscription to a listing priced monthly or by usage. */
export const subscriptionSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    listing: z.object({ id: idSchema, title: z.string() }),
    model: z.enum(['subscription', 'usage']),
    status: subscriptionStatusSchema,
    stoppedReason: subscriptionStopReasonSchema.nullable(),
    monthlyCredits: z.int().nullable().describe('Monthly subscriptions: charged at the start of every period'),
    usage: z
      .object({
        unit: usageUnitSchema,
        creditsPerUnit: z.int(),
        spendingLimitCredits: z.int().describe('Per period: a warning at 80 %, a stop at 100 %'),
        spentThisPeriod: z.int().describe('Charged since the period started, read from the ledger'),
        unitsThisPeriod: z.int().describe('Units charged since the period started'),
      })
      .nullable(),
    periodStart: timestampSchema,
    periodEnd: timestampSchema.describe('Monthly: the next charge; usage: when the spending limit starts again'),
    cancelAtPeriodEnd: z.boolean(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Subscription' });
export type Subscription = z.infer<typeof subscriptionSchema>;

export const listSubscriptionsQuerySchema = z.strictObject({
  status: subscriptionStatusSchema.optional().describe('Only subscriptions in this state'),
});
export type ListSubscriptionsQuery = z.infer<typeof listSubscriptionsQuerySchema>;

export const subscriptionListSchema = z.object({ data: z.array(subscriptionSchema) }).meta({ id: 'SubscriptionList' });

const spendingLimitSchema = z.int().min(1).max(100_000_000);

export const updateSubscriptionSchema = z
  .strictObject({
    cancelAtPeriodEnd: z.boolean().optional().describe('true: ends at the end of the period (nothing more is charged); false: goes on'),
    spendingLimitCredits: spendingLimitSchema
      .optional()
      .describe('Usage subscriptions: the most a period may cost; raising it above what was spent resumes a stopped one'),
  })
  .refine((input) => input.cancelAtPeriodEnd !== undefined || input.spendingLimitCredits !== undefined, {
    message: 'say what to change: cancelAtPeriodEnd or spendingLimitCredits',
  })
  .meta({ id: 'UpdateSubscription' });
export type UpdateSubscriptionInput = z.infer<typeof updateSubscriptionSchema>;

/** What buying takes: nothing for most listings, a spending limit for usage pricing. */
export const purchaseListingSchema = z
  .strictObject({
    spendingLimitCredits: spendingLimitSchema
      .optional()
      .describe('Usage pricing (required there): the most a month of use may cost; warned at 80 %, stopped at 100 %'),
  })
  .meta({ id: 'PurchaseListing' });
export type PurchaseListingInput = z.infer<typeof purchaseListingSchema>;
