import type { Kysely, Migration } from 'kysely';

/**
 * The installer's consent to count an installation's results in its listing's figures (issue 20,
 * item 3; decision 0038). Off for every existing installation: nobody consented before it existed.
 */
export function createInstallationFiguresConsentMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('marketplace_installations')
        .addColumn('share_figures', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
    },
  };
}
