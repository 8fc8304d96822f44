import type { CreditAccountReference } from '../credits/credit-ledger.js';
import type { ListingRow } from './listing.repository.js';

/** The ledger account a listing's sales pay into: its publishing person or organisation. */
export function publisherAccount(listing: ListingRow): CreditAccountReference {
  return { kind: listing.publisher_kind === 'organization' ? 'publisher-organization' : 'publisher-user', ownerId: listing.publisher_id };
}

/** The escrow of one rental: what the workspace paid, held until the period ends or a dispute is resolved. */
export function rentalEscrowAccount(rentalId: string): CreditAccountReference {
  return { kind: 'escrow', ownerId: rentalId };
}

/** The platform's share of an amount, rounded down. */
export function platformFee(amount: number, feePercent: number): number {
  return Math.floor((amount * feePercent) / 100);
}
