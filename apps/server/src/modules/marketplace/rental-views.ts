import { type Rental, rentalStatusSchema } from '@mission-control/contracts';
import type { RentalRow } from './rental.repository.js';

/** A rental row as the API shows it; the rental part of a dispute is the same fields. */
export function toRentalPeriod(row: RentalRow) {
  return {
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
    status: rentalStatusSchema.parse(row.status),
    priceCredits: Number(row.price_credits),
  };
}

export function toRental(row: RentalRow, extra: { title: string | undefined; escrowCredits: number; disputeId: string | null }): Rental {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    listing: { id: row.listing_id, title: extra.title ?? 'A removed listing' },
    ...toRentalPeriod(row),
    escrowCredits: extra.escrowCredits,
    accessEnded: row.access_ended_at !== null,
    disputeId: extra.disputeId,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
