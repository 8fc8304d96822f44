import type { CreateCreditCheckoutInput, CreditCheckout } from '@mission-control/contracts';
import type Stripe from 'stripe';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import { workspaceAccount } from './credit.service.js';
import { outsideAccount, recordCreditMovement } from './credit-ledger.js';
import { createStripeClient, type StripeSettings, stripeCurrency } from './stripe-client.js';

export type { StripeSettings } from './stripe-client.js';

export interface StripeCheckoutDependencies {
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** Where the payment page sends people back to (MISSION_PUBLIC_URL, else the listen address). */
  publicUrl: string;
}

/** What of a paid session the ledger needs, read through a schema (the event's object is Stripe's JSON). */
const paidSessionSchema = z.object({
  id: z.string().min(1),
  payment_status: z.string(),
  amount_total: z.int().nullable(),
  currency: z.string().nullable(),
  metadata: z.object({ workspaceId: z.uuid(), userId: z.uuid().optional(), credits: z.coerce.number().int().positive() }),
});

const currency = stripeCurrency;

function notConfigured(): AppError {
  return new AppError(
    'PAYMENTS_NOT_CONFIGURED',
    'This server takes no card payments (MISSION_STRIPE_SECRET_KEY is not set). Ask a server administrator to grant credits.',
  );
}

function invalidSignature(): AppError {
  return new AppError(
    'STRIPE_SIGNATURE_INVALID',
    'The Stripe-Signature header is missing or does not match this body. Check the webhook’s signing secret.',
  );
}

/**
 * Buying credits through Stripe Checkout with the official `stripe` package: a session for the
 * workspace, and the `checkout.session.completed` webhook, verified with Stripe's signature
 * scheme, credits it. The session id is the ledger key, so a webhook Stripe delivers twice
 * (it does, by design) lands once.
 */
export class StripeCheckoutService {
  private readonly stripe: Stripe | undefined;

  constructor(
    private readonly context: ServiceContext,
    private readonly settings: StripeSettings | undefined,
    private readonly dependencies: StripeCheckoutDependencies,
  ) {
    if (settings) this.stripe = createStripeClient(settings);
  }

  async createCheckout(principal: Principal, input: CreateCreditCheckoutInput): Promise<CreditCheckout> {
    assertCan(principal, 'workspace:manage');
    if (!this.stripe) throw notConfigured();
    const back = `${this.dependencies.publicUrl}/settings/credits`;
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { quantity: input.credits, price_data: { currency, unit_amount: 1, product_data: { name: 'Mission Control credits' } } },
        ],
        client_reference_id: principal.workspaceId,
        metadata: { workspaceId: principal.workspaceId, userId: principal.id, credits: String(input.credits) },
        success_url: input.successUrl ?? `${back}?checkout=done`,
        cancel_url: input.cancelUrl ?? `${back}?checkout=cancelled`,
      });
      if (!session.url) throw new Error('Stripe answered a session without a payment page.');
      return { id: session.id, url: session.url, credits: input.credits };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('PAYMENT_PROVIDER_FAILED', 'Stripe did not create the payment page. Try again in a minute.', { reason });
    }
  }

  /** Verifies and acts on one webhook delivery; answers whether it credited a workspace now. */
  async receiveWebhook(rawBody: string, signature: string | undefined): Promise<{ received: true; credited: boolean }> {
    // Checked first: a call without Stripe's signature is unauthenticated whatever this server's settings.
    if (!signature) throw invalidSignature();
    if (!this.stripe || !this.settings) throw notConfigured();
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature ?? '', this.settings.webhookSecret);
    } catch {
      throw new AppError(
        'STRIPE_SIGNATURE_INVALID',
        'The Stripe-Signature header does not match this body. Check the webhook’s signing secret.',
      );
    }
    if (event.type !== 'checkout.session.completed') return { received: true, credited: false };
    const session = paidSessionSchema.parse(event.data.object);
    // An asynchronous payment method completes the session unpaid; its own event follows.
    if (session.payment_status !== 'paid') return { received: true, credited: false };
    if (session.currency !== currency || session.amount_total !== session.metadata.credits) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Session ${session.id} paid ${session.amount_total} ${session.currency} for ${session.metadata.credits} credits; nothing was credited.`,
      );
    }
    const { workspaceId, credits, userId } = session.metadata;
    const { replayed } = await this.context.db.transaction().execute(async (trx) => {
      const recorded = await recordCreditMovement(this.context, trx, {
        kind: 'top-up',
        key: `stripe:${session.id}`,
        description: `Bought ${credits} credits with a card`,
        workspaceId,
        listingId: null,
        refundOf: null,
        actor: userId ? { kind: 'user', id: userId } : { kind: 'system', id: null },
        entries: [
          { account: outsideAccount, amount: -credits },
          { account: workspaceAccount(workspaceId), amount: credits },
        ],
      });
      if (!recorded.replayed) {
        await this.dependencies.audit.recordAuditEntry(trx, {
          workspaceId,
          actor: 'system',
          action: 'credits.bought',
          targetKind: 'workspace',
          targetId: workspaceId,
          summary: `${credits} credits bought with a card (Stripe session ${session.id})`,
          after: { credits },
        });
      }
      return recorded;
    });
    return { received: true, credited: !replayed };
  }
}
