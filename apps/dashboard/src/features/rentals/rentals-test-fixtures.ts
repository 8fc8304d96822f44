import { type Dispute, disputeSchema, type Rental, rentalSchema } from '@mission-control/contracts';
import { testId, workspaceId } from '../../test/fixtures';

// An hour off whole days: the page's clock may be a little behind, and exactly two days would read as 48 hours.
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000 + Math.sign(days) * 3_600_000).toISOString();

/** A rental as the server answers one, parsed so the fixture follows the contract. */
export function makeRental(overrides: Partial<Rental> = {}): Rental {
  return rentalSchema.parse({
    id: testId(),
    workspaceId,
    listing: { id: testId(), title: 'Scout' },
    startsAt: daysFromNow(-2),
    endsAt: daysFromNow(5),
    status: 'active',
    priceCredits: 300,
    escrowCredits: 300,
    accessEnded: false,
    disputeId: null,
    createdAt: daysFromNow(-2),
    ...overrides,
  });
}

/** A dispute over a rental, open unless the overrides resolve it. */
export function makeDispute(rental: Rental, overrides: Partial<Dispute> = {}): Dispute {
  return disputeSchema.parse({
    id: testId(),
    rentalId: rental.id,
    workspaceId: rental.workspaceId,
    listing: rental.listing,
    rental: { startsAt: rental.startsAt, endsAt: rental.endsAt, status: 'disputed', priceCredits: rental.priceCredits },
    reason: 'It never answered a single task.',
    status: 'open',
    openedBy: { id: testId(), name: 'Rita Renter' },
    resolution: null,
    createdAt: daysFromNow(-1),
    ...overrides,
  });
}
