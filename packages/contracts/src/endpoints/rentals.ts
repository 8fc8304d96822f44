import { z } from 'zod';
import { idSchema } from '../common.js';
import {
  disputeListSchema,
  disputeSchema,
  listDisputesQuerySchema,
  listRentalsQuerySchema,
  openDisputeSchema,
  rentalListSchema,
  resolveDisputeSchema,
} from '../rentals.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'marketplace';

export const listRentals = defineEndpoint({
  operationId: 'listRentals',
  method: 'GET',
  path: '/api/v1/marketplace/rentals',
  tag,
  auth: 'user',
  summary: 'The rentals of the workspace you are signed in to, newest first',
  description:
    'Each with its period, what was paid, what is still held in escrow, and the dispute opened on it. Renting is POST /api/v1/marketplace/listings/{id}/purchase on a rental listing.',
  query: listRentalsQuerySchema,
  responses: { 200: { description: 'The rentals', schema: rentalListSchema } },
  errors: ['FORBIDDEN'],
});

export const openDispute = defineEndpoint({
  operationId: 'openDispute',
  method: 'POST',
  path: '/api/v1/marketplace/disputes',
  tag,
  auth: 'user',
  summary: 'Dispute a rental while its price is held in escrow (owners and admins)',
  description:
    'The rental becomes disputed: its escrow is not released to the publisher at the end of the period, and a server administrator resolves the dispute (refund all or part, release the rest). Only while the rental is active: once released or refunded, 409 DISPUTE_NOT_ALLOWED.',
  body: openDisputeSchema,
  responses: { 201: { description: 'The dispute', schema: disputeSchema } },
  errors: ['FORBIDDEN', 'RENTAL_NOT_FOUND', 'DISPUTE_NOT_ALLOWED'],
});

export const listDisputes = defineEndpoint({
  operationId: 'listDisputes',
  method: 'GET',
  path: '/api/v1/marketplace/disputes',
  tag,
  auth: 'user',
  summary: 'Disputes of rentals, newest first',
  description: 'Server administrators see every dispute on the server; others those of the workspace they are signed in to.',
  query: listDisputesQuerySchema,
  responses: { 200: { description: 'The disputes', schema: disputeListSchema } },
  errors: [],
});

export const resolveDispute = defineEndpoint({
  operationId: 'resolveDispute',
  method: 'POST',
  path: '/api/v1/marketplace/disputes/{id}/resolve',
  tag,
  auth: 'user',
  summary: 'Resolve a dispute: refund all or part of the escrow, release the rest (server administrators)',
  description:
    'In one ledger movement: `refundAmount` (all of the escrow by default) goes back to the workspace and the rest to the publisher, less the platform’s fee on what is released. With a refund the rental’s access ends at once and what was installed from it is paused; a release lets the period run to its end. Recorded in the workspace’s audit log; the workspace’s owners and the publisher are notified.',
  params: z.object({ id: idSchema }),
  body: resolveDisputeSchema,
  responses: { 200: { description: 'The resolved dispute', schema: disputeSchema } },
  errors: ['INSTANCE_ADMIN_REQUIRED', 'DISPUTE_NOT_FOUND', 'DISPUTE_ALREADY_RESOLVED', 'REFUND_TOO_LARGE'],
});
