import type Stripe from 'stripe';
import { createStripeClient, type StripeSettings, stripeCurrency } from './stripe-client.js';

/** What a transfer attempt came to: made, refused for good, or not known (try again later). */
export type TransferOutcome =
  | { kind: 'made'; transferId: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown'; reason: string };

/**
 * Where payouts of publishers' earnings go: the adapter the payout service calls. Stripe Connect
 * is the one built in; another provider implements the same method. The idempotency key makes a
 * retried call answer the first transfer instead of making a second.
 */
export interface PayoutTransfers {
  createTransfer(input: { amount: number; destination: string; idempotencyKey: string; description: string }): Promise<TransferOutcome>;
}

/** A refusal Stripe will repeat however often it is asked: a 4xx other than a conflict or a rate limit. */
function isRefusal(error: unknown): error is { statusCode: number; message: string } {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return false;
  const status = Number(error.statusCode);
  return status >= 400 && status < 500 && status !== 409 && status !== 429;
}

/** Payouts as Stripe Connect transfers from the platform's balance to the publisher's connected account. */
export class StripeConnectTransfers implements PayoutTransfers {
  private readonly stripe: Stripe;

  constructor(settings: StripeSettings) {
    this.stripe = createStripeClient(settings);
  }

  async createTransfer(input: {
    amount: number;
    destination: string;
    idempotencyKey: string;
    description: string;
  }): Promise<TransferOutcome> {
    try {
      const transfer = await this.stripe.transfers.create(
        { amount: input.amount, currency: stripeCurrency, destination: input.destination, description: input.description },
        { idempotencyKey: input.idempotencyKey },
      );
      return { kind: 'made', transferId: transfer.id };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return isRefusal(error) ? { kind: 'refused', reason } : { kind: 'unknown', reason };
    }
  }
}
