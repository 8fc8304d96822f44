import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { prefersCsv } from '../../http/content-negotiation.js';
import { keepRawJsonBodies } from '../../http/json-body.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { CreditService } from './credit.service.js';
import type { StripeCheckoutService } from './stripe-checkout.service.js';

export async function creditRoutes(
  app: FastifyInstance,
  { credits, stripeCheckout }: { credits: CreditService; stripeCheckout: StripeCheckoutService },
): Promise<void> {
  registerEndpoint(app, endpoints.createCreditCheckout, async (request) => stripeCheckout.createCheckout(request.principal, request.body));
  registerEndpoint(app, endpoints.getCreditBalance, async (request) => credits.getBalance(request.principal));
  registerEndpoint(app, endpoints.listCreditTransactions, async (request, reply) => {
    if (request.query.format === 'csv' || prefersCsv(request.headers.accept)) {
      const csv = await credits.exportTransactionsCsv(request.principal, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="credit-transactions.csv"')
        .send(csv);
    }
    return credits.listTransactions(request.principal, request.query);
  });
  registerEndpoint(app, endpoints.grantCredits, async (request) => {
    const key = request.headers['idempotency-key'];
    return credits.grantCredits(request.principal, request.body, typeof key === 'string' ? key : undefined);
  });
}

/** Stripe's webhook, outside authentication: its JSON parser keeps the exact body Stripe signed. */
export async function stripeWebhookRoutes(
  app: FastifyInstance,
  { stripeCheckout }: { stripeCheckout: StripeCheckoutService },
): Promise<void> {
  const rawBodyOf = keepRawJsonBodies(app);
  registerEndpoint(app, endpoints.receiveStripeWebhook, async (request) => {
    const signature = request.headers['stripe-signature'];
    return stripeCheckout.receiveWebhook(rawBodyOf(request), typeof signature === 'string' ? signature : undefined);
  });
}
