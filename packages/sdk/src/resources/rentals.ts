import { type Dispute, endpoints, type Rental } from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/**
 * Rentals of marketplace listings and their disputes (`/marketplace/disputes`). Renting is
 * `client.marketplace`'s purchase of a rental listing; its answer carries the rental's id.
 */
export class RentalsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.rentals`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The rentals of the workspace, newest first, with what each still holds in escrow. */
  async list(query: z.input<typeof endpoints.listRentals.query> = {}): Promise<Rental[]> {
    return (await this.context.transport.call(endpoints.listRentals, { query })).data;
  }

  /** Disputes a rental while its price is held in escrow (owners and admins of the renting workspace). */
  openDispute(input: z.input<typeof endpoints.openDispute.body>): Promise<Dispute> {
    return this.context.transport.call(endpoints.openDispute, { body: input });
  }

  /** Disputes of the workspace; a server administrator sees every dispute on the server. */
  async disputes(query: z.input<typeof endpoints.listDisputes.query> = {}): Promise<Dispute[]> {
    return (await this.context.transport.call(endpoints.listDisputes, { query })).data;
  }

  /** Refunds all or part of the escrow and releases the rest to the publisher (server administrators). */
  resolveDispute(disputeId: string, input: z.input<typeof endpoints.resolveDispute.body>): Promise<Dispute> {
    return this.context.transport.call(endpoints.resolveDispute, { params: { id: disputeId }, body: input });
  }
}
