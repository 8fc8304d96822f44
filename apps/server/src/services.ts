import { createAccessTokenSigner } from './auth/access-token.js';
import { createAuthService } from './auth/auth.service.js';
import type { ServiceContext } from './core/service-context.js';
import { createActivityService } from './modules/activities/activity.service.js';
import { createAgentChatService } from './modules/agent-runtime/agent-chat.service.js';
import { createAgentRunService } from './modules/agent-runtime/agent-run.service.js';
import { createAgentRuntimeSettingsService } from './modules/agent-runtime/agent-runtime-settings.service.js';
import { createAgentUsageService } from './modules/agent-runtime/agent-usage.service.js';
import type { AgentWorkspaceEnvironment } from './modules/agent-runtime/agent-workspace-settings.js';
import { createRunnerRunService } from './modules/agent-runtime/runner-run.service.js';
import { createAgentService } from './modules/agents/agent.service.js';
import { createCoordinationService } from './modules/coordination/coordination.service.js';
import { createDocumentService } from './modules/documents/document.service.js';
import { createHeartbeatService } from './modules/heartbeats/heartbeat.service.js';
import { registerChannelTransports } from './modules/integrations/channels/channel-transports.js';
import { createInboundHookService } from './modules/integrations/hooks/inbound-hook.service.js';
import { IntegrationsWorker } from './modules/integrations/integrations-worker.js';
import { createOutboundService } from './modules/integrations/outbound/outbound.service.js';
import { createWebhookService } from './modules/integrations/webhooks/webhook.service.js';
import { createInvitationService } from './modules/invitations/invitation.service.js';
import { createMessageService } from './modules/messages/message.service.js';
import { createMfaService } from './modules/mfa/mfa.service.js';
import { createNotificationService } from './modules/notifications/notification.service.js';
import { createNotificationDeliveryService } from './modules/notifications/notification-delivery.service.js';
import { createNotificationPreferenceService } from './modules/notifications/notification-preference.service.js';
import { createOidcService } from './modules/oidc/oidc.service.js';
import type { OidcSettings } from './modules/oidc/oidc-client.js';
import { createRunnerService } from './modules/runners/runner.service.js';
import { createTaskService } from './modules/tasks/task.service.js';
import { createTaskClaimService } from './modules/tasks/task-claim.service.js';
import { createUserService } from './modules/users/user.service.js';
import { createWorkingStateService } from './modules/working-state/working-state.service.js';
import { createWorkspaceService } from './modules/workspaces/workspace.service.js';

export interface ServiceOptions {
  signingKey: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Where WORKING.md is mirrored (the data directory); not mirrored when left out. */
  workingFileDirectory?: string | undefined;
  /** Where built-in agents may be given repositories, and what their commands run with; off when left out. */
  agentWorkspaces?: AgentWorkspaceEnvironment | undefined;
  /** Outbound webhooks and notification channels; private targets refused and no email when left out. */
  integrations?: IntegrationSettings | undefined;
  /** Single sign-on with an OpenID Connect provider; off when left out. */
  oidc?: OidcSettings | undefined;
}

export interface IntegrationSettings {
  allowPrivateTargets: boolean;
  retryScheduleMs?: readonly number[];
  smtp?: { url: string; from: string } | undefined;
  /** Where links in email and chat messages point (MISSION_PUBLIC_URL, else the listen address). */
  publicUrl?: string | undefined;
  /** The retry jitter's randomness (tests fix it). */
  random?: () => number;
  onError?: (step: string, error: unknown) => void;
}

/** Wires every service once; modules reach each other only through these. */
export function createServices(context: ServiceContext, options: ServiceOptions) {
  const users = createUserService(context);
  // Auth and the workspaces and agents services need each other: auth is built first and reaches
  // the other two through getters, which only run once a request comes in.
  const auth = createAuthService(
    context,
    {
      signer: createAccessTokenSigner(options.signingKey, options.accessTokenTtlSeconds),
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
      refreshTokenKey: options.signingKey,
    },
    { users, workspaces: () => workspaces, agents: () => agents, mfa: () => mfa },
  );
  const workspaces = createWorkspaceService(context, { users, auth });
  const mfa = createMfaService(context, { instanceSecret: options.signingKey }, { users, workspaces, auth });
  const oidc = createOidcService(context, { oidc: options.oidc, instanceSecret: options.signingKey }, { users, workspaces, auth });
  const integrationSettings = options.integrations ?? { allowPrivateTargets: false };
  const outbound = createOutboundService(context, {
    instanceSecret: options.signingKey,
    policy: { allowPrivateTargets: integrationSettings.allowPrivateTargets },
    settings: integrationSettings.retryScheduleMs ? { retryScheduleMs: integrationSettings.retryScheduleMs } : {},
  });
  const notifications = createNotificationService(context);
  const invitations = createInvitationService(context, { users, workspaces, notifications, auth, mfa });
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
  const agentRuntimeSettings = createAgentRuntimeSettingsService(
    context,
    { agents, auth, workspaces },
    { signingKey: options.signingKey, agentWorkspaces: options.agentWorkspaces },
  );
  const agentRuns = createAgentRunService(context, { agents });
  const agentUsage = createAgentUsageService(context, { agents, notifications, workspaces, agentRuntimeSettings });
  const agentChat = createAgentChatService(context, { agents, agentRuntimeSettings, agentRuns, agentUsage });
  // Runs from runners check their runner, and runners show their runs: the getter breaks the cycle.
  const runnerRuns = createRunnerRunService(context, { agents, tasks, claims, agentUsage, runners: () => runners });
  const runners = createRunnerService(context, { agents, runnerRuns });
  const webhooks = createWebhookService(context, { outbound, notifications, workspaces });
  registerChannelTransports(outbound, integrationSettings.smtp);
  const email = { available: Boolean(integrationSettings.smtp), from: integrationSettings.smtp?.from ?? null };
  const notificationPreferences = createNotificationPreferenceService(context, { outbound, users }, { email });
  const notificationDelivery = createNotificationDeliveryService(
    context,
    { outbound, users, agents },
    { publicUrl: integrationSettings.publicUrl ?? 'http://127.0.0.1:4000', emailAvailable: email.available },
  );
  const inboundHooks = createInboundHookService(context, { outbound, tasks, messages, workspaces });
  const integrationsWorker = new IntegrationsWorker(
    outbound.createSender({
      ...(integrationSettings.random ? { random: integrationSettings.random } : {}),
      onError: (error) => integrationSettings.onError?.('send', error),
    }),
    [
      { name: 'feed-webhooks', run: () => webhooks.feedWebhooks() },
      { name: 'dispatch-notifications', run: () => notificationDelivery.dispatchNotifications() },
      { name: 'flush-digests', run: () => notificationDelivery.flushDigests() },
    ],
    integrationSettings.onError,
  );
  return {
    context,
    users,
    auth,
    workspaces,
    invitations,
    notifications,
    agents,
    tasks,
    claims,
    heartbeats,
    activities,
    messages,
    documents,
    workingState,
    agentRuntimeSettings,
    agentRuns,
    agentUsage,
    coordination,
    agentChat,
    runnerRuns,
    runners,
    outbound,
    webhooks,
    notificationPreferences,
    notificationDelivery,
    inboundHooks,
    mfa,
    oidc,
    integrationsWorker,
  };
}

export type Services = ReturnType<typeof createServices>;
