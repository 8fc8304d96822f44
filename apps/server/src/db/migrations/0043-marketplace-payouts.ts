import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Payouts of publishers' marketplace earnings (issue 20, item 6; decision 0039): the Stripe Connect
 * account a publisher is paid to, and every payout with where it stands. A payout's credits leave
 * the ledger before Stripe is asked, so `pending` rows are what a crash or a silent Stripe left
 * to retry (with the payout's id as Stripe's idempotency key).
 */
export function createMarketplacePayoutsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const amount = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('marketplace_payout_accounts')
        .addColumn('publisher_kind', 'text', (column) => column.notNull())
        .addColumn('publisher_id', 'text', (column) => column.notNull())
        .addColumn('stripe_account_id', 'text', (column) => column.notNull())
        .addColumn('updated_by', 'text', (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('marketplace_payout_accounts_pk', ['publisher_kind', 'publisher_id'])
        .execute();
      await db.schema
        .createTable('marketplace_payouts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('publisher_kind', 'text', (column) => column.notNull())
        .addColumn('publisher_id', 'text', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('amount', amount, (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('destination', 'text')
        .addColumn('transfer_id', 'text')
        .addColumn('failure', 'text')
        .addColumn('transaction_id', 'text', (column) => column.notNull().references('credit_transactions.id'))
        .addColumn('requested_by', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('marketplace_payouts_publisher')
        .on('marketplace_payouts')
        .columns(['publisher_kind', 'publisher_id', 'created_at'])
        .execute();
      await db.schema.createIndex('marketplace_payouts_status').on('marketplace_payouts').columns(['status', 'updated_at']).execute();
    },
  };
}
