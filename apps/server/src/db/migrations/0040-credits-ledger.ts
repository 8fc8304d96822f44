import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The credits ledger (issue 20, decision 0037): double entry. Every movement is a transaction with
 * entries that sum to zero; a balance is the sum of an account's entries, never a stored counter.
 * Amounts are whole credits. A transaction key makes a retried movement land once. Workspaces'
 * purchases of one-off listings are kept as entitlements, one per listing and workspace.
 */
export function createCreditsLedgerMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const amount = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('credit_accounts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        // The workspace, person or organisation; '' for the platform and the outside world.
        .addColumn('owner_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('credit_accounts_owner').on('credit_accounts').columns(['kind', 'owner_id']).unique().execute();

      await db.schema
        .createTable('credit_transactions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('transaction_key', 'text', (column) => column.notNull().unique())
        .addColumn('workspace_id', 'text', (column) => column.references('workspaces.id').onDelete('set null'))
        .addColumn('listing_id', 'text', (column) => column.references('marketplace_listings.id').onDelete('set null'))
        .addColumn('refund_of', 'text', (column) => column.references('credit_transactions.id'))
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('actor_kind', 'text', (column) => column.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('credit_transactions_workspace').on('credit_transactions').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('credit_transactions_refund_of').on('credit_transactions').column('refund_of').execute();

      await db.schema
        .createTable('credit_entries')
        .addColumn('transaction_id', 'text', (column) => column.notNull().references('credit_transactions.id'))
        .addColumn('account_id', 'text', (column) => column.notNull().references('credit_accounts.id'))
        .addColumn('amount', amount, (column) => column.notNull())
        .addPrimaryKeyConstraint('credit_entries_pk', ['transaction_id', 'account_id'])
        .execute();
      await db.schema.createIndex('credit_entries_account').on('credit_entries').columns(['account_id', 'transaction_id']).execute();

      await db.schema
        .createTable('marketplace_entitlements')
        .addColumn('listing_id', 'text', (column) => column.notNull().references('marketplace_listings.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('transaction_id', 'text', (column) => column.notNull().references('credit_transactions.id'))
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('marketplace_entitlements_pk', ['listing_id', 'workspace_id'])
        .execute();
    },
  };
}
