import type { CreditTransactionKind } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { describeError } from '../../lib/describe-error';
import { formatCredits } from '../marketplace/marketplace-wording';

export const transactionKindLabels: Record<CreditTransactionKind, string> = {
  grant: 'Granted',
  'top-up': 'Bought with a card',
  purchase: 'Purchase',
  subscription: 'Subscription',
  usage: 'Usage',
  payout: 'Paid out',
  'payout-returned': 'Payout returned',
  refund: 'Refund',
  release: 'Released from escrow',
};

/** "+500 credits", "−300 credits" (a true minus sign). */
export function signedCredits(amount: number): string {
  if (amount === 0) return formatCredits(0);
  return `${amount > 0 ? '+' : '−'}${formatCredits(Math.abs(amount))}`;
}

export const paymentsNotConfigured = 'This server takes no card payments; ask a server administrator for credits.';

export type CreditsAction = 'load' | 'checkout' | 'grant' | 'refund' | 'buy' | 'earnings';

/** A credits refusal in the dashboard's words. */
export function describeCreditsFailure(failure: unknown, action: CreditsAction = 'load'): string {
  if (!isMissionControlError(failure)) return describeError(failure);
  const details = (failure.details ?? {}) as Record<string, unknown>;
  switch (failure.code) {
    case 'PAYMENTS_NOT_CONFIGURED':
      return paymentsNotConfigured;
    case 'PAYMENT_PROVIDER_FAILED':
      return 'The card payment service did not answer. Try again in a minute.';
    case 'INSTANCE_ADMIN_REQUIRED':
      return 'Only server administrators (the owners of the organisation this server started with) grant and refund credits.';
    case 'FORBIDDEN':
      return action === 'buy'
        ? 'Your role in this workspace cannot buy listings. Ask an owner or admin.'
        : action === 'earnings'
          ? 'Only owners and admins of the organisation read what its listings earned.'
          : 'Only owners and admins of the workspace buy credits and read its history.';
    case 'WORKSPACE_NOT_FOUND':
      return 'That workspace does not exist any more.';
    case 'CREDIT_TRANSACTION_NOT_FOUND':
      return 'That purchase is not in this workspace’s history any more.';
    case 'REFUND_TOO_LARGE': {
      const refundable = typeof details.refundable === 'number' ? details.refundable : undefined;
      return refundable === undefined
        ? 'That is more than is left to refund.'
        : refundable === 0
          ? 'This purchase was refunded in full already.'
          : `Only ${formatCredits(refundable)} of it is left to refund.`;
    }
    case 'CREDITS_INSUFFICIENT':
      return action === 'refund'
        ? 'The publisher already spent what this sale earned them, so it cannot be refunded that far.'
        : insufficientInWords(details);
    case 'LISTING_ALREADY_BOUGHT':
      return 'This workspace bought this listing already: install it.';
    case 'LISTING_NOT_FOR_SALE':
      return 'This listing is not for sale: it is free, or it is yours. Install it directly.';
    case 'LISTING_NOT_FOUND':
      return 'This listing is not on the marketplace any more, or you cannot see it.';
    default:
      return describeError(failure);
  }
}

/** "You need 150 more credits: the workspace has 150 credits and this costs 300 credits." */
export function insufficientInWords(details: Record<string, unknown>): string {
  const balance = typeof details.balance === 'number' ? details.balance : undefined;
  const needed = typeof details.needed === 'number' ? details.needed : undefined;
  if (balance === undefined || needed === undefined) return 'The workspace does not have enough credits for this.';
  return `You need ${formatCredits(needed - balance)} more: the workspace has ${formatCredits(balance)} and this costs ${formatCredits(needed)}.`;
}
