import { z } from 'zod';
import { idSchema, pageQuerySchema, pageSchema, textSchema, timestampSchema } from './common.js';
import { rentalSummarySchema } from './rentals.js';
import { subscriptionSchema } from './subscriptions.js';

/**
 * Who holds credits in the ledger: a workspace (spends them), a publisher (earns them: a person or
 * an organisation), the platform (its fee), the outside world (credits granted or bought come
 * from there, so every movement stays a pair of entries that sums to zero), and the escrow of one
 * rental (what the workspace paid, held until the period ends or a dispute is resolved).
 */
export const creditAccountKindSchema = z.enum(['workspace', 'publisher-user', 'publisher-organization', 'platform', 'outside', 'escrow']);
export type CreditAccountKind = z.infer<typeof creditAccountKindSchema>;

/**
 * What a movement of credits was: granted by an administrator, bought with a card (top-up), spent
 * on a listing (a rental's price goes into escrow), refunded, or released from a rental's escrow to
 * its publisher.
 */
export const creditTransactionKindSchema = z.enum([
  'grant',
  'top-up',
  'purchase',
  'subscription',
  'usage',
  'refund',
  'release',
  'payout',
  'payout-returned',
]);
export type CreditTransactionKind = z.infer<typeof creditTransactionKindSchema>;

export const creditEntrySchema = z
  .object({
    account: z.object({ kind: creditAccountKindSchema, id: z.string().nullable(), name: z.string() }),
    amount: z.int().describe('Credits into the account (positive) or out of it (negative)'),
  })
  .meta({ id: 'CreditEntry' });
export type CreditEntry = z.infer<typeof creditEntrySchema>;

export const creditTransactionSchema = z
  .object({
    id: idSchema,
    kind: creditTransactionKindSchema,
    description: z.string(),
    amount: z.int().describe('What it moved into (positive) or out of (negative) the account the list is for'),
    entries: z.array(creditEntrySchema).describe('Every entry of the movement; they sum to zero'),
    listing: z.object({ id: idSchema, title: z.string() }).nullable(),
    refundOf: idSchema.nullable().describe('The transaction this one refunds'),
    refundedBy: idSchema.nullable().describe('The transaction that refunded this one'),
    by: z.object({ kind: z.enum(['user', 'system']), name: z.string() }),
    createdAt: timestampSchema,
  })
  .meta({ id: 'CreditTransaction' });
export type CreditTransaction = z.infer<typeof creditTransactionSchema>;

export const creditBalanceSchema = z
  .object({
    workspaceId: idSchema,
    balance: z.int().describe('Credits the workspace can spend: the sum of its entries'),
    spent: z.int().describe('Credits it paid for listings, refunds deducted'),
    received: z.int().describe('Credits granted by an administrator or bought with a card'),
  })
  .meta({ id: 'CreditBalance' });
export type CreditBalance = z.infer<typeof creditBalanceSchema>;

export const listCreditTransactionsQuerySchema = pageQuerySchema.extend({
  kind: creditTransactionKindSchema.optional(),
  from: timestampSchema.optional().describe('Only from this moment'),
  to: timestampSchema.optional().describe('Only before this moment'),
  format: z.enum(['json', 'csv']).default('json').describe('csv answers every matching transaction as a CSV file (up to 100,000)'),
});
export type ListCreditTransactionsQuery = z.infer<typeof listCreditTransactionsQuerySchema>;

export const listPublisherTransactionsQuerySchema = listCreditTransactionsQuerySchema.extend({
  organizationId: idSchema.optional().describe('An organisation you administer; your own earnings by default'),
});
export type ListPublisherTransactionsQuery = z.infer<typeof listPublisherTransactionsQuerySchema>;
export const creditTransactionPageSchema = pageSchema(creditTransactionSchema).meta({ id: 'CreditTransactionPage' });

export const grantCreditsSchema = z
  .strictObject({
    workspaceId: idSchema,
    amount: z.int().min(1).max(1_000_000_000),
    reason: textSchema().trim().min(1).max(500).describe('Shown in the workspace’s history'),
  })
  .meta({ id: 'GrantCredits' });
export type GrantCreditsInput = z.infer<typeof grantCreditsSchema>;

export const refundCreditsSchema = z
  .strictObject({
    amount: z.int().min(1).optional().describe('Part of it; all of what is left to refund by default'),
    reason: textSchema().trim().min(1).max(500),
  })
  .meta({ id: 'RefundCredits' });
export type RefundCreditsInput = z.infer<typeof refundCreditsSchema>;

export const purchaseSchema = z
  .object({
    listingId: idSchema,
    workspaceId: idSchema,
    transaction: creditTransactionSchema
      .nullable()
      .describe('What was charged now; null for usage pricing, which charges as the listing is used'),
    balance: z.int().describe('What the workspace has left'),
    rental: rentalSummarySchema.optional().describe('For a rental listing: the rental the payment started, its price held in escrow'),
    subscription: subscriptionSchema.optional().describe('For subscription and usage pricing: the subscription it started'),
  })
  .meta({ id: 'Purchase' });
export type Purchase = z.infer<typeof purchaseSchema>;

export const publisherEarningsSchema = z
  .object({
    publishers: z.array(
      z.object({
        kind: z.enum(['user', 'organization']),
        id: idSchema,
        name: z.string(),
        balance: z.int().describe('Credits earned, after the platform’s fee and refunds'),
        sales: z.int().describe('Purchases of its listings, refunded ones included'),
      }),
    ),
    feePercent: z.number().describe('The platform’s share of every sale on this server'),
  })
  .meta({ id: 'PublisherEarnings' });
export type PublisherEarnings = z.infer<typeof publisherEarningsSchema>;

const returnUrlSchema = textSchema()
  .max(2_000)
  .regex(/^https?:\/\/\S+$/, 'a return address is a full http(s) URL, such as https://mission.example.com/settings/credits');

export const createCreditCheckoutSchema = z
  .strictObject({
    credits: z.int().min(100).max(10_000_000).describe('How many credits to buy; one credit is one cent (USD)'),
    successUrl: returnUrlSchema
      .optional()
      .describe('Where the payment page sends the person after paying; the dashboard’s credits page by default'),
    cancelUrl: returnUrlSchema.optional().describe('Where it sends them if they give up'),
  })
  .meta({ id: 'CreateCreditCheckout' });
export type CreateCreditCheckoutInput = z.infer<typeof createCreditCheckoutSchema>;

export const creditCheckoutSchema = z
  .object({
    id: z.string().describe('The Stripe Checkout Session'),
    url: z.string().describe('The payment page to send the person to'),
    credits: z.int(),
  })
  .meta({ id: 'CreditCheckout' });
export type CreditCheckout = z.infer<typeof creditCheckoutSchema>;

/** The body Stripe posts: checked against its signature before anything reads it. */
export const stripeEventBodySchema = z.looseObject({}).describe('A Stripe event (checkout.session.completed is acted on)');
export const stripeWebhookAnswerSchema = z.object({ received: z.literal(true), credited: z.boolean() }).meta({ id: 'StripeWebhookAnswer' });
