import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** A Checkout Session as the stand-in made it, from the form the server posted. */
export interface StandInSession {
  id: string;
  workspaceId: string;
  userId: string;
  credits: string;
  amountTotal: number;
  form: URLSearchParams;
}

/** A Connect transfer as the stand-in made it. */
export interface StandInTransfer {
  id: string;
  amount: number;
  currency: string;
  destination: string;
  idempotencyKey: string | undefined;
}

/** A destination the stand-in refuses, as Stripe refuses an account that cannot receive transfers. */
export const refusingStripeAccount = 'acct_refuses';

/**
 * A local peer speaking the part of Stripe's API the server uses: `POST /v1/checkout/sessions`
 * (form-encoded, bearer secret key) answers a session with a payment page URL, and `deliver`
 * posts that session's `checkout.session.completed` event to a webhook URL, signed with the
 * official package's own signing helper, as Stripe would. `POST /v1/transfers` makes a Connect
 * transfer, answering the same transfer again for a repeated Idempotency-Key; `outage` makes the
 * next transfers answer 500, as an unavailable Stripe does.
 */
export async function startStripeStandIn(options: { secretKey: string; webhookSecret: string }) {
  const sessions: StandInSession[] = [];
  const transfers: StandInTransfer[] = [];
  const outage = { remaining: 0 };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const answer = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${sessions.length}` });
        response.end(JSON.stringify(value));
      };
      if (request.headers.authorization !== `Bearer ${options.secretKey}`) {
        answer(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
        return;
      }
      if (request.method === 'POST' && request.url === '/v1/transfers') {
        const form = new URLSearchParams(body);
        const idempotencyKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
        if (outage.remaining > 0) {
          outage.remaining -= 1;
          answer(500, { error: { type: 'api_error', message: 'An unexpected error occurred.' } });
          return;
        }
        const destination = form.get('destination') ?? '';
        if (destination === refusingStripeAccount) {
          answer(400, {
            error: { type: 'invalid_request_error', code: 'account_invalid', message: `No such destination: '${destination}'` },
          });
          return;
        }
        const earlier = idempotencyKey ? transfers.find((transfer) => transfer.idempotencyKey === idempotencyKey) : undefined;
        const transfer = earlier ?? {
          id: `tr_test_${transfers.length + 1}`,
          amount: Number(form.get('amount')),
          currency: form.get('currency') ?? '',
          destination,
          idempotencyKey,
        };
        if (!earlier) transfers.push(transfer);
        answer(200, { id: transfer.id, object: 'transfer', amount: transfer.amount, currency: transfer.currency, destination });
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v1/checkout/sessions') {
        answer(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.url})` } });
        return;
      }
      const form = new URLSearchParams(body);
      const quantity = Number(form.get('line_items[0][quantity]'));
      const unitAmount = Number(form.get('line_items[0][price_data][unit_amount]'));
      const session: StandInSession = {
        id: `cs_test_${sessions.length + 1}${Math.random().toString(36).slice(2, 8)}`,
        workspaceId: form.get('metadata[workspaceId]') ?? '',
        userId: form.get('metadata[userId]') ?? '',
        credits: form.get('metadata[credits]') ?? '',
        amountTotal: quantity * unitAmount,
        form,
      };
      sessions.push(session);
      answer(200, {
        id: session.id,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'unpaid',
        status: 'open',
        amount_total: session.amountTotal,
        currency: form.get('line_items[0][price_data][currency]'),
        url: `http://${request.headers.host}/pay/${session.id}`,
        metadata: { workspaceId: session.workspaceId, userId: session.userId, credits: session.credits },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signer = new Stripe(options.secretKey);

  return {
    url,
    sessions,
    transfers,
    /** The next `count` transfer calls answer 500. */
    failTransfers(count: number) {
      outage.remaining = count;
    },
    /** The signed webhook Stripe would send for a paid session (a forged one with `secret`). */
    signedEvent(session: StandInSession, overrides: { secret?: string; paymentStatus?: string } = {}) {
      const payload = JSON.stringify({
        id: `evt_${session.id}`,
        object: 'event',
        type: 'checkout.session.completed',
        data: {
          object: {
            id: session.id,
            object: 'checkout.session',
            payment_status: overrides.paymentStatus ?? 'paid',
            status: 'complete',
            amount_total: session.amountTotal,
            currency: 'usd',
            metadata: { workspaceId: session.workspaceId, userId: session.userId, credits: session.credits },
          },
        },
      });
      const signature = signer.webhooks.generateTestHeaderString({ payload, secret: overrides.secret ?? options.webhookSecret });
      return { payload, signature };
    },
    /** Posts the event to the webhook URL, as Stripe's delivery does. */
    async deliver(webhookUrl: string, event: { payload: string; signature: string }) {
      const answer = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
        body: event.payload,
      });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
