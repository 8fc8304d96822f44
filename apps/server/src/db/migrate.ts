import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Engine } from './database.js';
import { createInitialMigration } from './migrations/0001-initial.js';
import { createTaskLeasesMigration } from './migrations/0002-task-leases.js';
import { createWorkingStateMigration } from './migrations/0003-working-state.js';
import { createIdempotencyMigration } from './migrations/0004-idempotency.js';
import { createAgentRuntimeMigration } from './migrations/0005-agent-runtime.js';
import { createClaimOrderIndexMigration } from './migrations/0006-claim-order-index.js';
import { createInvitationsMigration } from './migrations/0007-invitations.js';
import { createAgentWorkspaceMigration } from './migrations/0008-agent-workspace.js';
import { createRunnersMigration } from './migrations/0009-runners.js';
import { createIntegrationsMigration } from './migrations/0010-integrations.js';
import { createWorkflowsMigration } from './migrations/0011-workflows.js';
import { createMemoryAndSearchMigration } from './migrations/0013-memory-and-search.js';
import { createAnalyticsAndAuditMigration } from './migrations/0014-analytics-and-audit.js';
import { createIdentityMigration } from './migrations/0015-identity.js';
import { createGithubMigration } from './migrations/0016-github.js';
import { createGithubIssueStateMigration } from './migrations/0018-github-issue-state.js';
import { createThroughputRollupMigration } from './migrations/0020-throughput-rollup.js';
import { createAttachmentsMigration } from './migrations/0021-attachments.js';
import { createMessageReactionsMigration } from './migrations/0022-message-reactions.js';
import { createDocumentTemplatesMigration } from './migrations/0022-templates.js';
import { createEventHorizonMigration } from './migrations/0023-event-horizon.js';
import { createSkillsMigration } from './migrations/0024-skills.js';
import { createDocumentSharesMigration } from './migrations/0025-document-shares.js';
import { createAlertDetectorMigration } from './migrations/0026-alert-detector.js';
import { createSystemSamplesMigration } from './migrations/0027-system-samples.js';
import { createMemorySummaryClaimsMigration } from './migrations/0028-memory-summary-claims.js';
import { createTaskNumbersAndIndexesMigration } from './migrations/0029-task-numbers-and-indexes.js';
import { createWorkspaceWipLimitsMigration } from './migrations/0030-workspace-wip-limits.js';
import { createA2aMigration } from './migrations/0031-a2a.js';
import { createApiKeyControlsMigration } from './migrations/0032-api-key-controls.js';
import { createCustomRolesMigration } from './migrations/0034-custom-roles.js';
import { createRetentionSettingsMigration } from './migrations/0035-retention-settings.js';
import { createOrganizationsMigration } from './migrations/0036-organizations.js';
import { createOrganizationSsoMigration } from './migrations/0037-organization-sso.js';
import { createBoardMoveShardsMigration } from './migrations/0038-board-move-shards.js';
import { createMarketplaceMigration } from './migrations/0039-marketplace.js';
import { createCreditsLedgerMigration } from './migrations/0040-credits-ledger.js';
import { createMarketplaceRentalsMigration } from './migrations/0041-marketplace-rentals.js';
import { createMarketplaceSubscriptionsMigration } from './migrations/0042-marketplace-subscriptions.js';
import { createMarketplacePayoutsMigration } from './migrations/0043-marketplace-payouts.js';
import { createInstallationFiguresConsentMigration } from './migrations/0044-installation-figures-consent.js';
import type { Database } from './schema.js';

/** Every migration, in order. Names sort lexically; never rename or edit one that has shipped. */
function listMigrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-initial': createInitialMigration(engine),
    '0002-task-leases': createTaskLeasesMigration(engine),
    '0003-working-state': createWorkingStateMigration(engine),
    '0004-idempotency': createIdempotencyMigration(engine),
    '0005-agent-runtime': createAgentRuntimeMigration(engine),
    '0006-claim-order-index': createClaimOrderIndexMigration(engine),
    '0007-invitations': createInvitationsMigration(engine),
    '0008-agent-workspace': createAgentWorkspaceMigration(engine),
    '0009-runners': createRunnersMigration(engine),
    '0010-integrations': createIntegrationsMigration(engine),
    '0011-workflows': createWorkflowsMigration(engine),
    '0014-analytics-and-audit': createAnalyticsAndAuditMigration(engine),
    '0015-identity': createIdentityMigration(engine),
    '0016-github': createGithubMigration(engine),
    '0013-memory-and-search': createMemoryAndSearchMigration(engine),
    '0018-github-issue-state': createGithubIssueStateMigration(),
    '0020-throughput-rollup': createThroughputRollupMigration(engine),
    '0022-message-reactions': createMessageReactionsMigration(engine),
    // Named to sort after 0022-message-reactions, which may already have run.
    '0022-templates': createDocumentTemplatesMigration(engine),
    '0021-attachments': createAttachmentsMigration(engine),
    '0023-event-horizon': createEventHorizonMigration(engine),
    '0024-skills': createSkillsMigration(engine),
    '0025-document-shares': createDocumentSharesMigration(engine),
    '0026-alert-detector': createAlertDetectorMigration(engine),
    '0027-system-samples': createSystemSamplesMigration(),
    '0028-memory-summary-claims': createMemorySummaryClaimsMigration(),
    '0029-task-numbers-and-indexes': createTaskNumbersAndIndexesMigration(engine),
    '0030-workspace-wip-limits': createWorkspaceWipLimitsMigration(engine),
    '0031-a2a': createA2aMigration(engine),
    '0032-api-key-controls': createApiKeyControlsMigration(engine),
    '0034-custom-roles': createCustomRolesMigration(engine),
    '0035-retention-settings': createRetentionSettingsMigration(engine),
    '0036-organizations': createOrganizationsMigration(engine),
    '0037-organization-sso': createOrganizationSsoMigration(engine),
    '0038-board-move-shards': createBoardMoveShardsMigration(engine),
    '0039-marketplace': createMarketplaceMigration(engine),
    '0040-credits-ledger': createCreditsLedgerMigration(engine),
    '0041-marketplace-rentals': createMarketplaceRentalsMigration(engine),
    '0042-marketplace-subscriptions': createMarketplaceSubscriptionsMigration(engine),
    '0043-marketplace-payouts': createMarketplacePayoutsMigration(engine),
    '0044-installation-figures-consent': createInstallationFiguresConsentMigration(),
  };
}

/** Brings the schema up to date; run at every start before the server listens. */
export async function migrateToLatest(db: Kysely<Database>, engine: Engine): Promise<void> {
  await migrateUpTo(db, engine, undefined);
}

/** Brings the schema up to the named migration (tests of a migration's backfill), or to date when left out. */
export async function migrateUpTo(db: Kysely<Database>, engine: Engine, migrationName: string | undefined): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => listMigrations(engine) };
  // Kysely looks for its bookkeeping tables across every schema unless told which one is ours;
  // with several schemas in one database (tests, or side-by-side deployments) it must be told.
  const schema =
    engine === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await (migrationName ? migrator.migrateTo(migrationName) : migrator.migrateToLatest());
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error });
  }
}
