import { createPayoutSchema, payoutAccountSchema, payoutListSchema, payoutSchema, setPayoutAccountSchema } from '../payouts.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'marketplace';

export const setPayoutAccount = defineEndpoint({
  operationId: 'setPayoutAccount',
  method: 'PUT',
  path: '/api/v1/marketplace/payout-account',
  tag,
  auth: 'user',
  summary: 'Connect the Stripe account your earnings (or an organisation’s) are paid out to',
  description:
    'A person sets their own; an organisation’s admins set the organisation’s. Payouts then go to it as Stripe Connect transfers; without one they are recorded for a server administrator to pay.',
  body: setPayoutAccountSchema,
  responses: { 200: { description: 'The payout account', schema: payoutAccountSchema } },
  errors: ['FORBIDDEN'],
});

export const createPayout = defineEndpoint({
  operationId: 'createPayout',
  method: 'POST',
  path: '/api/v1/marketplace/payouts',
  tag,
  auth: 'user',
  summary: 'Pay out marketplace earnings',
  description:
    'Takes the amount from the publisher’s earnings in the ledger at once, then transfers it to the connected Stripe account (status paid), or records it when none is connected (status recorded). A transfer Stripe refuses puts the credits back (status failed, 502 PAYMENT_PROVIDER_FAILED); one not answered stays pending and is retried with the same idempotency key. More than the earnings: 402 CREDITS_INSUFFICIENT.',
  body: createPayoutSchema,
  responses: { 201: { description: 'The payout', schema: payoutSchema } },
  errors: ['FORBIDDEN', 'CREDITS_INSUFFICIENT', 'PAYMENT_PROVIDER_FAILED'],
});

export const listPayouts = defineEndpoint({
  operationId: 'listPayouts',
  method: 'GET',
  path: '/api/v1/marketplace/payouts',
  tag,
  auth: 'user',
  summary: 'Your payouts and those of the organisations you administer, newest first',
  description: 'Each with its status, the Stripe transfer and, for a refused one, why.',
  responses: { 200: { description: 'The payouts', schema: payoutListSchema } },
  errors: [],
});
