import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Rentals of marketplace listings, paid into escrow (issue 20, item 6; decision 0037). A rental's
 * price sits in the ledger's escrow account of the rental until the period ends (released to the
 * publisher) or an administrator resolves a dispute. `access_ended_at` marks that the end was
 * acted on (what was installed paused), so the periodic job handles each rental once.
 */
export function createMarketplaceRentalsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const amount = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('marketplace_rentals')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('listing_id', 'text', (column) => column.notNull().references('marketplace_listings.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('transaction_id', 'text', (column) => column.notNull().references('credit_transactions.id'))
        .addColumn('price_credits', amount, (column) => column.notNull())
        .addColumn('starts_at', timestamp, (column) => column.notNull())
        .addColumn('ends_at', timestamp, (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('access_ended_at', timestamp)
        .addColumn('created_by', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('marketplace_rentals_holder').on('marketplace_rentals').columns(['listing_id', 'workspace_id']).execute();
      // The periodic job asks for rentals past their end whose end was not acted on yet.
      await db.schema.createIndex('marketplace_rentals_due').on('marketplace_rentals').columns(['access_ended_at', 'ends_at']).execute();

      await db.schema
        .createTable('marketplace_disputes')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('rental_id', 'text', (column) => column.notNull().references('marketplace_rentals.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('reason', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('opened_by', 'text', (column) => column.notNull())
        .addColumn('outcome', 'text')
        .addColumn('refunded', amount)
        .addColumn('released', amount)
        .addColumn('resolution_reason', 'text')
        .addColumn('resolved_by', 'text')
        .addColumn('resolved_at', timestamp)
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('marketplace_disputes_workspace')
        .on('marketplace_disputes')
        .columns(['workspace_id', 'status'])
        .execute();
      // One dispute per rental: opening it moves the rental out of active.
      await db.schema.createIndex('marketplace_disputes_rental').on('marketplace_disputes').column('rental_id').unique().execute();
    },
  };
}
