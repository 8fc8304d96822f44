import type { Kysely, Migration } from 'kysely';

/**
 * The state of a linked GitHub issue as last seen or set by this server, so a poll moves the task
 * only when the issue was closed or reopened on GitHub since, not every time the listing changes
 * (which would undo a person moving the task on the board before the issue followed).
 */
export function createGithubIssueStateMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('github_issue_links')
        .addColumn('issue_state', 'text', (column) => column.notNull().defaultTo('open'))
        .execute();
    },
  };
}
