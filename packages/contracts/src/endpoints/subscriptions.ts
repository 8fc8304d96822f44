import { z } from 'zod';
import { idSchema } from '../common.js';
import { listSubscriptionsQuerySchema, subscriptionListSchema, subscriptionSchema, updateSubscriptionSchema } from '../subscriptions.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'marketplace';

export const listSubscriptions = defineEndpoint({
  operationId: 'listSubscriptions',
  method: 'GET',
  path: '/api/v1/marketplace/subscriptions',
  tag,
  auth: 'user',
  summary: 'The subscriptions of the workspace you are signed in to: monthly and usage-metered',
  description:
    'Each with its period and, for usage pricing, what the period cost so far against its spending limit. Subscribing is POST /api/v1/marketplace/listings/{id}/purchase on a listing priced by subscription or usage.',
  query: listSubscriptionsQuerySchema,
  responses: { 200: { description: 'The subscriptions', schema: subscriptionListSchema } },
  errors: ['FORBIDDEN'],
});

export const updateSubscription = defineEndpoint({
  operationId: 'updateSubscription',
  method: 'PATCH',
  path: '/api/v1/marketplace/subscriptions/{id}',
  tag,
  auth: 'user',
  summary: 'Cancel a subscription at the end of its period, take the cancellation back, or change a usage spending limit',
  description:
    'Owners and admins of the subscribing workspace. A cancelled subscription keeps working until its period ends and is not charged again. Raising the spending limit of a usage subscription stopped at its limit above what the period cost resumes it and what was installed from it. Recorded in the audit log.',
  params: z.object({ id: idSchema }),
  body: updateSubscriptionSchema,
  responses: { 200: { description: 'The subscription', schema: subscriptionSchema } },
  errors: ['FORBIDDEN', 'SUBSCRIPTION_NOT_FOUND', 'SUBSCRIPTION_ENDED'],
});
