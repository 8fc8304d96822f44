import { z } from 'zod';
import { idSchema, textSchema, timestampSchema } from './common.js';

/**
 * Where a rental stands. active: paid into escrow, the period runs; disputed: a dispute holds the
 * escrow (it is not released at the end); released: the escrow went to the publisher; refunded:
 * all of it went back to the workspace; ended: a dispute split it between the two.
 */
export const rentalStatusSchema = z.enum(['active', 'disputed', 'released', 'refunded', 'ended']);
export type RentalStatus = z.infer<typeof rentalStatusSchema>;

/** What a purchase of a rental listing answers about the rental it started. */
export const rentalSummarySchema = z
  .object({ id: idSchema, endsAt: timestampSchema, status: rentalStatusSchema })
  .meta({ id: 'RentalSummary' });
export type RentalSummary = z.infer<typeof rentalSummarySchema>;

/** A rental as its workspace sees it: what it cost, until when, and where its escrow stands. */
export const rentalSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    listing: z.object({ id: idSchema, title: z.string() }),
    startsAt: timestampSchema,
    endsAt: timestampSchema,
    status: rentalStatusSchema,
    priceCredits: z.int().describe('What the workspace paid into escrow'),
    escrowCredits: z.int().describe('What is still held in escrow now'),
    accessEnded: z.boolean().describe('True once the period ended or a refund ended it: what was installed is paused'),
    disputeId: idSchema.nullable().describe('The dispute opened on it, if any'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Rental' });
export type Rental = z.infer<typeof rentalSchema>;

export const listRentalsQuerySchema = z.strictObject({
  status: rentalStatusSchema.optional().describe('Only rentals in this state'),
});
export type ListRentalsQuery = z.infer<typeof listRentalsQuerySchema>;

export const rentalListSchema = z.object({ data: z.array(rentalSchema) }).meta({ id: 'RentalList' });

export const disputeStatusSchema = z.enum(['open', 'resolved']);
export type DisputeStatus = z.infer<typeof disputeStatusSchema>;

export const disputeSchema = z
  .object({
    id: idSchema,
    rentalId: idSchema,
    workspaceId: idSchema,
    listing: z.object({ id: idSchema, title: z.string() }),
    rental: z.object({ startsAt: timestampSchema, endsAt: timestampSchema, status: rentalStatusSchema, priceCredits: z.int() }),
    reason: z.string(),
    status: disputeStatusSchema,
    openedBy: z.object({ id: z.string(), name: z.string() }),
    resolution: z
      .object({
        outcome: z.enum(['refund', 'release']),
        refunded: z.int().describe('Credits returned to the workspace'),
        released: z.int().describe('Credits paid to the publisher, before the platform’s fee'),
        reason: z.string(),
        by: z.object({ id: z.string(), name: z.string() }),
        at: timestampSchema,
      })
      .nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Dispute' });
export type Dispute = z.infer<typeof disputeSchema>;

export const openDisputeSchema = z
  .strictObject({
    rentalId: idSchema,
    reason: textSchema().trim().min(1).max(2_000).describe('What went wrong; the administrator who resolves it reads this'),
  })
  .meta({ id: 'OpenDispute' });
export type OpenDisputeInput = z.infer<typeof openDisputeSchema>;

export const listDisputesQuerySchema = z.strictObject({
  status: disputeStatusSchema.optional().describe('Open or resolved only; both by default'),
});
export type ListDisputesQuery = z.infer<typeof listDisputesQuerySchema>;

export const disputeListSchema = z.object({ data: z.array(disputeSchema) }).meta({ id: 'DisputeList' });

export const resolveDisputeSchema = z
  .strictObject({
    outcome: z.enum(['refund', 'release']).describe('refund: credits go back to the workspace; release: all of it to the publisher'),
    refundAmount: z.int().min(1).optional().describe('With refund: part of the escrow; all of it by default. The rest is released'),
    reason: textSchema().trim().min(1).max(2_000).describe('Shown to both parties'),
  })
  .refine((input) => input.outcome === 'refund' || input.refundAmount === undefined, {
    message: 'refundAmount goes with outcome refund; a release pays all of the escrow to the publisher',
    path: ['refundAmount'],
  })
  .meta({ id: 'ResolveDispute' });
export type ResolveDisputeInput = z.infer<typeof resolveDisputeSchema>;
