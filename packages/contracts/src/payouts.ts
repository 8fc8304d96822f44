import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';

/** Whose earnings: the signed-in person, or an organisation they administer. */
export const publisherReferenceSchema = z
  .strictObject({
    kind: z.enum(['user', 'organization']),
    id: idSchema.describe('Your user id, or the id of an organisation you administer'),
  })
  .meta({ id: 'PublisherReference' });
export type PublisherReference = z.infer<typeof publisherReferenceSchema>;

/**
 * Where a payout stands. pending: taken from the earnings, the transfer not confirmed yet (a
 * periodic job retries it); paid: Stripe confirmed the transfer; recorded: no Stripe account is
 * connected, so a server administrator pays it by other means; failed: Stripe refused it and the
 * credits went back to the earnings.
 */
export const payoutStatusSchema = z.enum(['pending', 'paid', 'recorded', 'failed']);
export type PayoutStatus = z.infer<typeof payoutStatusSchema>;

export const payoutSchema = z
  .object({
    id: idSchema,
    publisher: z.object({ kind: z.enum(['user', 'organization']), id: idSchema, name: z.string() }),
    amount: z.int().describe('Credits paid out (one credit is one US cent)'),
    status: payoutStatusSchema,
    destination: z.string().nullable().describe('The connected Stripe account it went to; null when recorded only'),
    transferId: z.string().nullable().describe('Stripe’s transfer id, once it was made'),
    failure: z.string().nullable().describe('Why Stripe refused it'),
    requestedBy: z.object({ id: z.string(), name: z.string() }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Payout' });
export type Payout = z.infer<typeof payoutSchema>;

export const createPayoutSchema = z
  .strictObject({
    publisher: publisherReferenceSchema,
    amount: z.int().min(1).max(100_000_000).describe('Credits to pay out; at most what the publisher has earned'),
  })
  .meta({ id: 'CreatePayout' });
export type CreatePayoutInput = z.infer<typeof createPayoutSchema>;

export const payoutListSchema = z.object({ data: z.array(payoutSchema) }).meta({ id: 'PayoutList' });

export const payoutAccountSchema = z
  .object({
    publisher: z.object({ kind: z.enum(['user', 'organization']), id: idSchema }),
    stripeAccountId: z.string().describe('The connected Stripe account (acct_…) payouts are transferred to'),
    updatedAt: timestampSchema,
  })
  .meta({ id: 'PayoutAccount' });
export type PayoutAccount = z.infer<typeof payoutAccountSchema>;

export const setPayoutAccountSchema = z
  .strictObject({
    publisher: publisherReferenceSchema,
    stripeAccountId: textSchema()
      .trim()
      .regex(/^acct_[A-Za-z0-9]{1,64}$/, 'a connected Stripe account id starts with acct_')
      .describe('The Stripe Connect account (acct_…) to transfer payouts to'),
  })
  .meta({ id: 'SetPayoutAccount' });
export type SetPayoutAccountInput = z.infer<typeof setPayoutAccountSchema>;
