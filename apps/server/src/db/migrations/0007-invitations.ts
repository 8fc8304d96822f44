import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Invitations replace adding people directly: a person joins a workspace only by accepting.
 * The link's token is kept as its SHA-256 only, like API keys and refresh tokens.
 */
export function createInvitationsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('invitations')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('email', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        // pending, accepted, declined or revoked; "expired" is read from expires_at.
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('token_hash', 'text', (column) => column.notNull().unique())
        .addColumn('invited_by_id', 'text', (column) => column.notNull())
        .addColumn('accepted_by_user_id', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp, (column) => column.notNull())
        .addColumn('responded_at', timestamp)
        .execute();
      // The workspace's list, newest first, and the invited person's pending ones.
      await db.schema.createIndex('invitations_workspace_idx').on('invitations').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('invitations_email_idx').on('invitations').columns(['email', 'status']).execute();
    },
  };
}
