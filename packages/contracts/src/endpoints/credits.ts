import { z } from 'zod';
import { idSchema } from '../common.js';
import {
  createCreditCheckoutSchema,
  creditBalanceSchema,
  creditCheckoutSchema,
  creditTransactionPageSchema,
  creditTransactionSchema,
  grantCreditsSchema,
  listCreditTransactionsQuerySchema,
  listPublisherTransactionsQuerySchema,
  publisherEarningsSchema,
  purchaseSchema,
  refundCreditsSchema,
  stripeEventBodySchema,
  stripeWebhookAnswerSchema,
} from '../credits.js';
import { purchaseListingSchema } from '../subscriptions.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'marketplace';

export const getCreditBalance = defineEndpoint({
  operationId: 'getCreditBalance',
  method: 'GET',
  path: '/api/v1/credits',
  tag,
  auth: 'user',
  summary: 'The credits of the workspace you are signed in to',
  description: 'Its balance is the sum of its ledger entries, never a stored counter; credits pay for marketplace listings.',
  responses: { 200: { description: 'The balance', schema: creditBalanceSchema } },
  errors: [],
});

export const listCreditTransactions = defineEndpoint({
  operationId: 'listCreditTransactions',
  method: 'GET',
  path: '/api/v1/credits/transactions',
  tag,
  auth: 'user',
  summary: 'The workspace’s credit history, newest first, or as CSV',
  description:
    'Grants, purchases and refunds with every entry of each. `format=csv` (or `Accept: text/csv`) answers every matching transaction as a file. Owners and admins only.',
  query: listCreditTransactionsQuerySchema,
  responses: {
    200: {
      description: 'A page of transactions; with format=csv, a CSV file',
      schema: creditTransactionPageSchema,
      alternatives: { 'text/csv': z.string() },
    },
  },
  errors: ['FORBIDDEN'],
});

export const grantCredits = defineEndpoint({
  operationId: 'grantCredits',
  method: 'POST',
  path: '/api/v1/credits/grants',
  tag,
  auth: 'user',
  summary: 'Give a workspace credits (server administrators)',
  description:
    'For servers without card payments: an administrator grants credits, recorded as a pair of entries (from outside to the workspace) and in the workspace’s audit log. Send an Idempotency-Key to make retries safe.',
  body: grantCreditsSchema,
  responses: { 201: { description: 'The grant', schema: creditTransactionSchema } },
  errors: ['INSTANCE_ADMIN_REQUIRED', 'WORKSPACE_NOT_FOUND'],
});

export const refundCreditTransaction = defineEndpoint({
  operationId: 'refundCreditTransaction',
  method: 'POST',
  path: '/api/v1/credits/transactions/{id}/refund',
  tag,
  auth: 'user',
  summary: 'Refund a purchase, all or part (server administrators)',
  description:
    'Moves the credits back from the publisher and the platform to the workspace, in the purchase’s proportions. A publisher who already spent what they earned cannot go below zero: the refund answers 402 CREDITS_INSUFFICIENT.',
  params: z.object({ id: idSchema }),
  body: refundCreditsSchema,
  responses: { 201: { description: 'The refund', schema: creditTransactionSchema } },
  errors: ['INSTANCE_ADMIN_REQUIRED', 'CREDIT_TRANSACTION_NOT_FOUND', 'REFUND_TOO_LARGE', 'CREDITS_INSUFFICIENT'],
});

export const purchaseListing = defineEndpoint({
  operationId: 'purchaseListing',
  method: 'POST',
  path: '/api/v1/marketplace/listings/{id}/purchase',
  tag,
  auth: 'user',
  summary: 'Buy, rent or subscribe to a listing with the workspace’s credits',
  description:
    'One-off: debits the price from the workspace and pays the publisher, less the platform’s fee, in one transaction; then the workspace may install it. A workspace buys a listing once (409 LISTING_ALREADY_BOUGHT). Rental: the price goes into an escrow of the rental and the workspace may install the listing for the rental’s days; at the end the escrow is released to the publisher (less the fee) and what was installed is paused, unless the workspace disputed it (POST /api/v1/marketplace/disputes). Renting again while a rental runs answers 409 LISTING_ALREADY_BOUGHT; after its end it starts a new rental. Subscription: charges the first month and starts a subscription the renewal job charges every month until it is cancelled (PATCH /api/v1/marketplace/subscriptions/{id}). Usage: charges nothing now; `spendingLimitCredits` is required and tasks done, runs or tokens of what was installed are charged as they happen, with a warning at 80 % of the limit and a stop at 100 %. Subscribing again while a subscription runs answers 409 LISTING_ALREADY_BOUGHT.',
  params: z.object({ id: idSchema }),
  body: purchaseListingSchema,
  responses: { 201: { description: 'The purchase', schema: purchaseSchema } },
  errors: ['LISTING_NOT_FOUND', 'LISTING_NOT_FOR_SALE', 'LISTING_ALREADY_BOUGHT', 'CREDITS_INSUFFICIENT', 'VALIDATION_FAILED'],
});

export const listPublisherTransactions = defineEndpoint({
  operationId: 'listPublisherTransactions',
  method: 'GET',
  path: '/api/v1/marketplace/earnings/transactions',
  tag,
  auth: 'user',
  summary: 'What your listings earned, sale by sale, newest first, or as CSV',
  description:
    'The history of your publisher account (or, with `organizationId`, of an organisation you administer): sales less the platform’s fee, subscription and usage charges, releases from escrow, refunds and payouts, with every entry. `format=csv` (or `Accept: text/csv`) answers every matching transaction as a file.',
  query: listPublisherTransactionsQuerySchema,
  responses: {
    200: {
      description: 'A page of transactions; with format=csv, a CSV file',
      schema: creditTransactionPageSchema,
      alternatives: { 'text/csv': z.string() },
    },
  },
  errors: ['FORBIDDEN'],
});

export const getPublisherEarnings = defineEndpoint({
  operationId: 'getPublisherEarnings',
  method: 'GET',
  path: '/api/v1/marketplace/earnings',
  tag,
  auth: 'user',
  summary: 'What your listings earned',
  description:
    'For you, and for each organisation you are an owner or admin of: the balance after the platform’s fee and refunds, and the number of sales.',
  responses: { 200: { description: 'Earnings per publisher', schema: publisherEarningsSchema } },
  errors: [],
});

export const createCreditCheckout = defineEndpoint({
  operationId: 'createCreditCheckout',
  method: 'POST',
  path: '/api/v1/credits/checkout',
  tag,
  auth: 'user',
  summary: 'Buy credits for the workspace with a card (Stripe Checkout)',
  description:
    'Answers the Stripe payment page to send the person to. The workspace is credited when Stripe confirms the payment (its checkout.session.completed webhook), exactly once. Owners and admins; 409 PAYMENTS_NOT_CONFIGURED where the server has no Stripe key (an administrator grants credits instead).',
  body: createCreditCheckoutSchema,
  responses: { 201: { description: 'The checkout session', schema: creditCheckoutSchema } },
  errors: ['PAYMENTS_NOT_CONFIGURED', 'PAYMENT_PROVIDER_FAILED', 'FORBIDDEN'],
});

export const receiveStripeWebhook = defineEndpoint({
  operationId: 'receiveStripeWebhook',
  method: 'POST',
  path: '/api/v1/stripe/webhook',
  tag,
  auth: 'own-credential',
  summary: 'Stripe’s webhook: a paid checkout credits its workspace',
  description:
    'Register this URL at Stripe for checkout.session.completed with MISSION_STRIPE_WEBHOOK_SECRET as its signing secret. The Stripe-Signature header is verified with Stripe’s scheme over the raw body (401 STRIPE_SIGNATURE_INVALID otherwise, and nothing happens). A session is credited once however often Stripe delivers it.',
  body: stripeEventBodySchema,
  headers: { 'stripe-signature': { description: 'Stripe’s signature of the raw body', schema: z.string().max(2_000).optional() } },
  responses: { 200: { description: 'Received', schema: stripeWebhookAnswerSchema } },
  errors: ['STRIPE_SIGNATURE_INVALID', 'PAYMENTS_NOT_CONFIGURED'],
  idempotent: false,
});
