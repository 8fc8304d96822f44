import { createAccessTokenSigner } from './auth/access-token.js';
import { createAuthService } from './auth/auth.service.js';
import type { ServiceContext } from './core/service-context.js';
import { deleteExpiredIdempotencyKeys } from './http/idempotency.js';
import { createActivityService } from './modules/activities/activity.service.js';
import { createAgentChatService } from './modules/agent-runtime/agent-chat.service.js';
import { createAgentRuntimeService } from './modules/agent-runtime/agent-runtime.service.js';
import { createAgentService } from './modules/agents/agent.service.js';
import { createCoordinationService } from './modules/coordination/coordination.service.js';
import { createDocumentService } from './modules/documents/document.service.js';
import { createHeartbeatService } from './modules/heartbeats/heartbeat.service.js';
import { createMessageService } from './modules/messages/message.service.js';
import { createNotificationService } from './modules/notifications/notification.service.js';
import { createTaskService } from './modules/tasks/task.service.js';
import { createTaskClaimService } from './modules/tasks/task-claim.service.js';
import { createWorkingStateService } from './modules/working-state/working-state.service.js';
import { createWorkspaceService } from './modules/workspaces/workspace.service.js';

export interface ServiceOptions {
  signingKey: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Where WORKING.md is mirrored (the data directory); not mirrored when left out. */
  workingFileDirectory?: string | undefined;
}

/** Wires every service once; modules reach each other only through these. */
export function createServices(context: ServiceContext, options: ServiceOptions) {
  const auth = createAuthService(context, {
    signer: createAccessTokenSigner(options.signingKey, options.accessTokenTtlSeconds),
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
  });
  const workspaces = createWorkspaceService(context);
  const notifications = createNotificationService(context);
  const agents = createAgentService(context, { auth });
  const tasks = createTaskService(context, { agents, workspaces, notifications });
  const claims = createTaskClaimService(context, { tasks, agents, workspaces, notifications });
  const heartbeats = createHeartbeatService(context, { agents, tasks, claims, notifications });
  const activities = createActivityService(context, { agents, tasks });
  const messages = createMessageService(context, { claims, agents, workspaces, tasks, notifications });
  const documents = createDocumentService(context, { agents, workspaces, tasks, notifications });
  const workingState = createWorkingStateService(
    context,
    { agents, tasks, activities, workspaces },
    { workingFileDirectory: options.workingFileDirectory },
  );
  const coordination = createCoordinationService(context, { agents, tasks, messages, notifications, workspaces });
  const agentRuntime = createAgentRuntimeService(context, { agents, auth, notifications, workspaces }, { signingKey: options.signingKey });
  const agentChat = createAgentChatService(context, { agents, agentRuntime });
  return {
    context,
    auth,
    workspaces,
    notifications,
    agents,
    tasks,
    claims,
    heartbeats,
    activities,
    messages,
    documents,
    workingState,
    agentRuntime,
    coordination,
    agentChat,
  };
}

export type Services = ReturnType<typeof createServices>;

/** The housekeeping every instance runs: coalesced presence writes, lease expiry, offline agents. */
export function createMaintenanceJobs(services: Services) {
  return [
    { name: 'flush-presence', everyMs: 1_000, run: () => services.heartbeats.flushPresence() },
    { name: 'expire-leases', everyMs: 2_000, run: () => services.claims.expireLeases() },
    { name: 'mark-silent-agents-offline', everyMs: 5_000, run: () => services.heartbeats.markSilentAgentsOffline() },
    { name: 'delete-expired-idempotency-keys', everyMs: 10 * 60_000, run: () => deleteExpiredIdempotencyKeys(services.context) },
    { name: 'fail-abandoned-runs', everyMs: 60_000, run: () => services.agentRuntime.failAbandonedRuns() },
  ];
}
