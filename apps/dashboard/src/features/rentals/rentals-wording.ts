import { type DisputeStatus, type RentalStatus, rentalStatusSchema } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { formatCredits } from '../marketplace/marketplace-wording';

export const rentalStatusLabels: Record<RentalStatus, string> = {
  active: 'Running',
  disputed: 'Disputed',
  released: 'Paid to the publisher',
  refunded: 'Refunded',
  ended: 'Settled by a dispute',
};

/** What each state means for the workspace's credits, under the short label. */
export const rentalStatusExplanations: Record<RentalStatus, string> = {
  active: 'The price is held in escrow until the period ends; then it goes to the publisher.',
  disputed: 'The price stays in escrow until a server administrator resolves the dispute.',
  released: 'The period ended (or a dispute was decided for the publisher): the price went to the publisher.',
  refunded: 'All of the price came back to the workspace.',
  ended: 'A dispute split the price: part came back to the workspace, the rest went to the publisher.',
};

export const disputeStatusLabels: Record<DisputeStatus, string> = {
  open: 'Open',
  resolved: 'Resolved',
};

/** "Rent for 7 days for 300 credits". */
export function rentInWords(days: number, price: number): string {
  return `Rent for ${plural(days, 'day')} for ${formatCredits(price)}`;
}

/** "12 Jun 2026, 14:00, in 7 days": a moment as a local date with how far it is from now. */
export function momentInWords(timestamp: string, now: number): string {
  return `${formatDateTime(timestamp)}, ${relativeTime(timestamp, now, 'long')}`;
}

/** A number the server put in an error's details, or undefined. */
function detailNumber(details: unknown, key: string): number | undefined {
  if (typeof details !== 'object' || details === null || !(key in details)) return undefined;
  const value: unknown = Reflect.get(details, key);
  return typeof value === 'number' ? value : undefined;
}

function detailStatus(details: unknown): RentalStatus | undefined {
  if (typeof details !== 'object' || details === null || !('status' in details)) return undefined;
  return rentalStatusSchema.safeParse(Reflect.get(details, 'status')).data;
}

export type RentalsAction = 'load' | 'dispute' | 'resolve';

/** A refusal about rentals or disputes in the dashboard's words: the server's are written for API callers. */
export function describeRentalsFailure(failure: unknown, action: RentalsAction = 'load'): string {
  if (!isMissionControlError(failure)) return describeError(failure);
  switch (failure.code) {
    case 'DISPUTE_NOT_ALLOWED': {
      const status = detailStatus(failure.details);
      return `${status ? `This rental is ${rentalStatusLabels[status].toLowerCase()} already` : 'This rental is no longer running'}: its price is no longer held in escrow, so it cannot be disputed. Ask a server administrator for a refund instead.`;
    }
    case 'RENTAL_NOT_FOUND':
      return action === 'resolve'
        ? 'The rental of this dispute is gone: its workspace or listing was deleted.'
        : 'That rental is not in this workspace any more.';
    case 'DISPUTE_NOT_FOUND':
      return 'That dispute is gone: its workspace or listing was deleted.';
    case 'DISPUTE_ALREADY_RESOLVED':
      return 'Someone resolved this dispute meanwhile: its resolution is shown now.';
    case 'REFUND_TOO_LARGE': {
      const refundable = detailNumber(failure.details, 'refundable');
      return refundable === undefined
        ? 'That is more than the escrow holds.'
        : `The escrow holds ${formatCredits(refundable)}: refund at most that.`;
    }
    case 'INSTANCE_ADMIN_REQUIRED':
      return 'Only server administrators (the owners of the organisation this server started with) resolve disputes.';
    case 'FORBIDDEN':
      return action === 'dispute'
        ? 'Only owners and admins of the workspace open disputes. Ask one of them.'
        : 'Your role in this workspace cannot read its rentals.';
    default:
      return describeError(failure);
  }
}
