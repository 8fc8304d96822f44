import { deleteExpiredIdempotencyKeys } from '../http/idempotency.js';
import type { createSystemSampler } from '../modules/system/system-sampler.js';
import type { Services } from '../services.js';
import type { MaintenanceJob } from './maintenance-loop.js';

/** The housekeeping every instance runs: coalesced presence writes, lease expiry, offline agents. */
export function createMaintenanceJobs(services: Services): MaintenanceJob[] {
  return [
    { name: 'flush-presence', everyMs: 1_000, run: () => services.heartbeats.flushPresence() },
    { name: 'expire-leases', everyMs: 2_000, run: () => services.claims.expireLeases() },
    { name: 'mark-silent-agents-offline', everyMs: 5_000, run: () => services.heartbeats.markSilentAgentsOffline() },
    { name: 'delete-expired-idempotency-keys', everyMs: 10 * 60_000, run: () => deleteExpiredIdempotencyKeys(services.context) },
    // A rotated key's grace ends at its expiry; revoking it then closes its streams on every instance.
    { name: 'revoke-rotated-api-keys', everyMs: 5_000, run: () => services.auth.apiKeys.revokeRotatedKeysPastGrace() },
    { name: 'delete-expired-request-signatures', everyMs: 10 * 60_000, run: () => services.auth.apiKeys.deleteExpiredRequestSignatures() },
    { name: 'mark-silent-runners-offline', everyMs: 5_000, run: () => services.runners.markSilentRunnersOffline() },
    { name: 'fail-abandoned-runs', everyMs: 60_000, run: () => services.agentRuns.failAbandonedRuns() },
    { name: 'deliver-integrations', everyMs: 1_000, run: () => services.integrationsWorker.pulse() },
    { name: 'purge-expired-audit-entries', everyMs: 60 * 60_000, run: () => services.audit.purgeExpiredAuditEntries() },
    // Each workspace's retention of messages and run transcripts (decision 0033), in short batches.
    { name: 'purge-expired-content', everyMs: 60 * 60_000, run: () => services.retention.purgeExpiredContent() },
    { name: 'advance-workflows', everyMs: 1_000, run: () => services.workflowEngine.tick() },
    { name: 'fire-routines', everyMs: 1_000, run: () => services.routines.fireDueRoutines() },
    { name: 'feed-triggers', everyMs: 1_000, run: () => services.triggers.feedTriggers() },
    // Its own job (a summary waits for a model): one grouped count when no agent is past 80 % of its memory limit.
    { name: 'compact-memories', everyMs: 60_000, run: () => services.memories.compactMemories() },
    // Several instances may run it; each workspace's checks run on the one that claims the minute.
    { name: 'detect-anomalies', everyMs: 60_000, run: () => services.alerts.runDetector() },
    // Rentals past their end: escrow released to the publisher, what was installed paused (claimed per rental, so any instance may run it).
    { name: 'end-marketplace-rentals', everyMs: 60_000, run: () => services.marketplace.rentals.endDueRentals() },
    { name: 'renew-marketplace-subscriptions', everyMs: 60_000, run: () => services.marketplace.subscriptions.renewDueSubscriptions() },
    { name: 'retry-pending-payouts', everyMs: 60_000, run: () => services.marketplace.payouts.retryPendingPayouts() },
    { name: 'meter-marketplace-usage', everyMs: 2_000, run: () => services.marketplace.usageMetering.meterUsage() },
  ];
}

/** What each instance measures of itself (system metrics, status page) and the compaction of those rows. */
export function createSystemJobs(sampler: ReturnType<typeof createSystemSampler>): MaintenanceJob[] {
  return [
    { name: 'sample-system', everyMs: 10_000, run: () => sampler.sampleSystem() },
    { name: 'sample-health', everyMs: 60_000, run: () => sampler.sampleHealth() },
    { name: 'compact-system-samples', everyMs: 5 * 60_000, run: () => sampler.compact() },
  ];
}
