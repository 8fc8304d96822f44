import { type CreditBalance, type CreditCheckout, type CreditTransaction, endpoints, type Page } from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** Credits of your workspace (`/credits`): the balance, the history, and grants and refunds by server administrators. */
export class CreditsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.credits`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The workspace's balance, what it received and what it spent. */
  balance(): Promise<CreditBalance> {
    return this.context.transport.call(endpoints.getCreditBalance);
  }

  /** A page of the workspace's credit history, newest first. */
  transactions(query: Omit<z.input<typeof endpoints.listCreditTransactions.query>, 'format'> = {}): Promise<Page<CreditTransaction>> {
    return this.context.transport.call(endpoints.listCreditTransactions, { query });
  }

  /** Starts buying credits with a card: answers the Stripe payment page to send the person to. */
  checkout(input: z.input<typeof endpoints.createCreditCheckout.body>): Promise<CreditCheckout> {
    return this.context.transport.call(endpoints.createCreditCheckout, { body: input });
  }

  /** Gives a workspace credits (server administrators); the SDK's Idempotency-Key makes a retry land once. */
  grant(input: z.input<typeof endpoints.grantCredits.body>): Promise<CreditTransaction> {
    return this.context.transport.call(endpoints.grantCredits, { body: input });
  }

  /** Refunds a purchase, all or part (server administrators). */
  refund(transactionId: string, input: z.input<typeof endpoints.refundCreditTransaction.body>): Promise<CreditTransaction> {
    return this.context.transport.call(endpoints.refundCreditTransaction, { params: { id: transactionId }, body: input });
  }
}
