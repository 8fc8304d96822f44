import { allEndpoints, listPermissionNames } from '@mission-control/contracts';
import { createAccessTokenSigner } from './auth/access-token.js';
import { createAuthService } from './auth/auth.service.js';
import type { ServiceContext } from './core/service-context.js';
import { A2aService } from './modules/a2a/a2a.service.js';
import { A2aDelegationService } from './modules/a2a/a2a-delegation.service.js';
import { A2aPushFeed, a2aPushChannel, createA2aPushTransport } from './modules/a2a/a2a-push.js';
import { createActivityService } from './modules/activities/activity.service.js';
import { createAgentProposalService } from './modules/agent-proposals/agent-proposal.service.js';
import { createAgentChatService } from './modules/agent-runtime/agent-chat.service.js';
import { createAgentRunService } from './modules/agent-runtime/agent-run.service.js';
import { createAgentRuntimeSettingsService } from './modules/agent-runtime/agent-runtime-settings.service.js';
import { createAgentUsageService } from './modules/agent-runtime/agent-usage.service.js';
import type { AgentWorkspaceEnvironment } from './modules/agent-runtime/agent-workspace-settings.js';
import { createMemorySummarizerService } from './modules/agent-runtime/memory-summarizer.service.js';
import { createRunnerRunService } from './modules/agent-runtime/runner-run.service.js';
import { createAgentService } from './modules/agents/agent.service.js';
import { type AlertServiceOptions, createAlertService } from './modules/alerts/alert.service.js';
import { createAnalyticsService } from './modules/analytics/analytics.service.js';
import { createRecommendationService } from './modules/analytics/recommendation.service.js';
import { createApprovalService } from './modules/approvals/approval.service.js';
import { createAttachmentService } from './modules/attachments/attachment.service.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createErasureService } from './modules/compliance/erasure.service.js';
import { createPersonalDataExportService } from './modules/compliance/personal-data-export.service.js';
import { createWorkspaceArchiveService } from './modules/compliance/workspace-archive.service.js';
import { createCoordinationService } from './modules/coordination/coordination.service.js';
import { CreditService } from './modules/credits/credit.service.js';
import { StripeConnectTransfers } from './modules/credits/payout-transfers.js';
import { StripeCheckoutService, type StripeSettings } from './modules/credits/stripe-checkout.service.js';
import { createDocumentShareService } from './modules/document-shares/document-share.service.js';
import { createDocumentTemplateService } from './modules/document-templates/document-template.service.js';
import { createDocumentService } from './modules/documents/document.service.js';
import { createHeartbeatService } from './modules/heartbeats/heartbeat.service.js';
import { registerChannelTransports } from './modules/integrations/channels/channel-transports.js';
import { createGithubService } from './modules/integrations/github/github.service.js';
import { createInboundHookService } from './modules/integrations/hooks/inbound-hook.service.js';
import { IntegrationsWorker } from './modules/integrations/integrations-worker.js';
import { createOutboundService } from './modules/integrations/outbound/outbound.service.js';
import { createWebhookService } from './modules/integrations/webhooks/webhook.service.js';
import { createInvitationService } from './modules/invitations/invitation.service.js';
import { createMarketplaceServices } from './modules/marketplace/marketplace-services.js';
import { createMemoryService, type MemorySettings } from './modules/memories/memory.service.js';
import { createMessageService } from './modules/messages/message.service.js';
import { createMfaService } from './modules/mfa/mfa.service.js';
import { createNotificationService } from './modules/notifications/notification.service.js';
import { createNotificationDeliveryService } from './modules/notifications/notification-delivery.service.js';
import { createNotificationPreferenceService } from './modules/notifications/notification-preference.service.js';
import { createOidcService } from './modules/oidc/oidc.service.js';
import type { OidcSettings } from './modules/oidc/oidc-client.js';
import { OrganizationService } from './modules/organizations/organization.service.js';
import { OrganizationDirectory } from './modules/organizations/organization-directory.js';
import { OrganizationMemberService } from './modules/organizations/organization-member.service.js';
import { OrganizationSsoService } from './modules/organizations/organization-sso.service.js';
import { TeamService } from './modules/organizations/team.service.js';
import { createOverviewService } from './modules/overview/overview.service.js';
import { createRetentionService } from './modules/retention/retention.service.js';
import { createRoleService } from './modules/roles/role.service.js';
import { createRoutineService } from './modules/routines/routine.service.js';
import { createRunnerService } from './modules/runners/runner.service.js';
import { createSearchService } from './modules/search/search.service.js';
import { createOutcomeService } from './modules/skills/outcome.service.js';
import { createSkillService } from './modules/skills/skill.service.js';
import { createSystemService } from './modules/system/system.service.js';
import { createTaskService } from './modules/tasks/task.service.js';
import { createTaskCapabilityService } from './modules/tasks/task-capabilities.service.js';
import { createTaskClaimService } from './modules/tasks/task-claim.service.js';
import { createTriggerService } from './modules/triggers/trigger.service.js';
import { createUserService } from './modules/users/user.service.js';
import { createWorkflowTemplateService } from './modules/workflow-templates/workflow-template.service.js';
import { createWorkflowService } from './modules/workflows/workflow.service.js';
import { createWorkflowEngine, type WorkflowEngine } from './modules/workflows/workflow-engine.js';
import { createWorkflowHttpTransport, workflowHttpChannel } from './modules/workflows/workflow-http.js';
import { createWorkflowStatsService } from './modules/workflows/workflow-stats.service.js';
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
  /** Agent memory: the embedding model (full-text only when left out) and the per-agent limit. */
  memory?: MemorySettings | undefined;
  /** Single sign-on with an OpenID Connect provider; off when left out. */
  oidc?: OidcSettings | undefined;
  /** This server's single sign-on callback (organisations register it at their own providers). */
  oidcCallbackUrl?: string | undefined;
  /** Where SQLite keeps attachment bytes (PostgreSQL keeps them in the database). */
  attachmentDirectory?: string | undefined;
  /** The anomaly detector: the data directory whose disk it watches, the name of this instance. */
  alerts?: AlertServiceOptions | undefined;
  /** The platform's share of marketplace sales in percent (MISSION_MARKETPLACE_FEE_PERCENT); 10 when left out. */
  marketplaceFeePercent?: number | undefined;
  /** Buying credits with a card (MISSION_STRIPE_*); grants only when left out. */
  stripe?: StripeSettings | undefined;
}

export interface IntegrationSettings {
  allowPrivateTargets: boolean;
  retryScheduleMs?: readonly number[];
  smtp?: { url: string; from: string } | undefined;
  /** Where links in email and chat messages point (MISSION_PUBLIC_URL, else the listen address). */
  publicUrl?: string | undefined;
  /** MISSION_GITHUB_API_URL (https://api.github.com when left out), and how often connections are polled. */
  githubApiUrl?: string | undefined;
  githubPollIntervalMs?: number | undefined;
  /** The retry jitter's randomness (tests fix it). */
  random?: () => number;
  onError?: (step: string, error: unknown) => void;
}

/** Wires every service once; modules reach each other only through these. */
export function createServices(context: ServiceContext, options: ServiceOptions) {
  const users = createUserService(context);
  // Every module that makes a privileged change records it here, so it is built first.
  const audit = createAuditService(context);
  // Auth and the workspaces and agents services need each other: auth is built first and reaches
  // the other two through getters, which only run once a request comes in.
  const auth = createAuthService(
    context,
    {
      signer: createAccessTokenSigner(options.signingKey, options.accessTokenTtlSeconds),
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
      refreshTokenKey: options.signingKey,
    },
    { users, workspaces: () => workspaces, agents: () => agents, audit, mfa: () => mfa, organizations: () => organizations },
  );
  const workspaces = createWorkspaceService(context, { users, auth, audit, roles: () => roles, organizations: () => organizations });
  const roles = createRoleService(context, {
    audit,
    holders: () => workspaces,
    teamGrants: () => teams,
    permissionNames: new Set(listPermissionNames(allEndpoints)),
  });
  const mfa = createMfaService(
    context,
    { instanceSecret: options.signingKey },
    { users, workspaces, auth, organizations: () => organizations },
  );
  // Organisations own workspaces and hold their limits and sign-in rules; teams give roles on them.
  const organizations: OrganizationService = new OrganizationService(context, {
    users,
    audit,
    usage: () => agentUsage,
    signIn: () => ({
      findEnrolledUserIds: (userIds, executor) => mfa.findEnrolledUserIds(userIds, executor),
      requireMfaEnrolmentOfSessions: (executor, change) => auth.requireMfaEnrolmentOfSessions(executor, change),
    }),
    teams: () => teams,
    singleSignOnConfigured: Boolean(options.oidc),
  });
  const organizationSso = new OrganizationSsoService(context, {
    organizations,
    instanceSecret: options.signingKey,
    instanceSsoConfigured: Boolean(options.oidc),
    issuerPolicy: { allowPrivateTargets: options.integrations?.allowPrivateTargets ?? false },
  });
  const organizationMembers = new OrganizationMemberService(context, {
    organizations,
    users,
    audit,
    signIn: () => ({ findEnrolledUserIds: (userIds, executor) => mfa.findEnrolledUserIds(userIds, executor) }),
  });
  const integrationSettings = options.integrations ?? { allowPrivateTargets: false };
  const outbound = createOutboundService(context, {
    instanceSecret: options.signingKey,
    policy: { allowPrivateTargets: integrationSettings.allowPrivateTargets },
    settings: integrationSettings.retryScheduleMs ? { retryScheduleMs: integrationSettings.retryScheduleMs } : {},
  });
  const notifications = createNotificationService(context);
  const invitations = createInvitationService(context, { users, workspaces, notifications, auth, audit, mfa });
  const oidc = createOidcService(
    context,
    {
      oidc: options.oidc,
      instanceSecret: options.signingKey,
      callbackUrl: options.oidcCallbackUrl ?? options.oidc?.redirectUri,
      issuerPolicy: { allowPrivateTargets: options.integrations?.allowPrivateTargets ?? false },
    },
    { users, workspaces, invitations, auth, organizationSso: () => organizationSso },
  );
  const agents = createAgentService(context, { auth, audit, organizations: () => organizations });
  const teams: TeamService = new TeamService(context, { organizations, users, agents, roles, workspaces });
  const tasks = createTaskService(context, { agents, workspaces, notifications, audit });
  const claims = createTaskClaimService(context, { tasks, agents, workspaces, notifications });
  const heartbeats = createHeartbeatService(context, { agents, tasks, claims, notifications, workspaces });
  const activities = createActivityService(context, { agents, tasks });
  const messages = createMessageService(context, { claims, agents, workspaces, tasks, notifications });
  const templates = createDocumentTemplateService(context);
  const documents = createDocumentService(context, { agents, workspaces, tasks, notifications, templates });
  const documentShares = createDocumentShareService(context, { agents, workspaces, documents });
  const attachments = createAttachmentService(context, { agents, workspaces, tasks, messages }, { directory: options.attachmentDirectory });
  const workingState = createWorkingStateService(
    context,
    { agents, tasks, activities, workspaces },
    { workingFileDirectory: options.workingFileDirectory },
  );
  const outcomes = createOutcomeService(context);
  const coordination = createCoordinationService(context, { agents, tasks, messages, notifications, workspaces, outcomes });
  const agentRuntimeSettings = createAgentRuntimeSettingsService(
    context,
    { agents, auth, workspaces },
    { signingKey: options.signingKey, agentWorkspaces: options.agentWorkspaces },
  );
  const agentRuns = createAgentRunService(context, { agents });
  const agentUsage = createAgentUsageService(context, {
    agents,
    notifications,
    workspaces,
    agentRuntimeSettings,
    audit,
    organizations: () => organizations,
  });
  const agentChat = createAgentChatService(context, { agents, agentRuntimeSettings, agentRuns, agentUsage });
  const memorySummarizer = createMemorySummarizerService(context, { agents, agentRuntimeSettings, agentRuns, agentUsage });
  // Runs from runners check their runner, and runners show their runs: the getter breaks the cycle.
  const runnerRuns = createRunnerRunService(context, { agents, tasks, claims, agentUsage, runners: () => runners });
  const runners = createRunnerService(context, { agents, runnerRuns });
  const webhooks = createWebhookService(context, { outbound, notifications, workspaces, audit });
  registerChannelTransports(outbound, integrationSettings.smtp);
  const email = { available: Boolean(integrationSettings.smtp), from: integrationSettings.smtp?.from ?? null };
  const notificationPreferences = createNotificationPreferenceService(context, { outbound, users }, { email });
  const notificationDelivery = createNotificationDeliveryService(
    context,
    { outbound, users, agents },
    { publicUrl: integrationSettings.publicUrl ?? 'http://127.0.0.1:4000', emailAvailable: email.available },
  );
  const overview = createOverviewService(context, { agents, tasks, activities, runnerRuns });
  const approvals = createApprovalService(context);
  const agentProposals = createAgentProposalService(context, { approvals, agents, agentUsage, agentRuntimeSettings, notifications });
  // The engine and the workflows service need each other: the getter breaks the cycle.
  const workflows = createWorkflowService(context, { engine: () => workflowEngine, approvals, outbound, agentRuns });
  const workflowEngine: WorkflowEngine = createWorkflowEngine(context, {
    tasks,
    approvals,
    notifications,
    workspaces,
    messages,
    documents,
    outbound,
    findWorkflow: (workspaceId, name) => workflows.findLatestWorkflow(workspaceId, name),
  });
  outbound.registerTransport(workflowHttpChannel, createWorkflowHttpTransport({ db: context.db, outbound }));
  const workflowTemplates = createWorkflowTemplateService({ workflows });
  const routines = createRoutineService(context, { workflows, tasks });
  const triggers = createTriggerService(context, { workflows, tasks, messages, notifications, workspaces });
  const inboundHooks = createInboundHookService(context, { outbound, tasks, messages, workspaces, workflows });
  const github = createGithubService(
    context,
    { outbound, tasks, messages, workspaces },
    {
      apiUrl: integrationSettings.githubApiUrl ?? 'https://api.github.com',
      ...(integrationSettings.githubPollIntervalMs ? { pollIntervalMs: integrationSettings.githubPollIntervalMs } : {}),
    },
  );
  const memories = createMemoryService(context, { agents, tasks, summarizer: memorySummarizer }, options.memory);
  const workflowStats = createWorkflowStatsService(context);
  const analytics = createAnalyticsService(context, {
    tasks,
    agents,
    messages,
    agentUsage,
    workflowStats,
    taskCapabilities: createTaskCapabilityService(context),
  });
  const a2a = new A2aService(context, { tasks, messages, documents, outbound });
  const a2aDelegations = new A2aDelegationService(context, { agents, tasks, messages, documents, outbound });
  const a2aPush = new A2aPushFeed(context, { outbound, viewOfTask: (workspaceId, taskId) => a2a.viewOfTask(workspaceId, taskId) });
  outbound.registerTransport(a2aPushChannel, createA2aPushTransport(context, outbound));
  const integrationsWorker = new IntegrationsWorker(
    outbound.createSender({
      ...(integrationSettings.random ? { random: integrationSettings.random } : {}),
      onError: (error) => integrationSettings.onError?.('send', error),
    }),
    [
      { name: 'feed-webhooks', run: () => webhooks.feedWebhooks() },
      { name: 'dispatch-notifications', run: () => notificationDelivery.dispatchNotifications() },
      { name: 'flush-digests', run: () => notificationDelivery.flushDigests() },
      { name: 'sync-github', run: () => github.syncGithub() },
      { name: 'feed-a2a-push', run: () => a2aPush.feedPushNotifications() },
      { name: 'delegate-a2a', run: () => a2aDelegations.runDelegations() },
    ],
    integrationSettings.onError,
  );
  const search = createSearchService(context);
  const system = createSystemService(context);
  const recommendations = createRecommendationService(context, { agentUsage, agents, tasks });
  const alerts = createAlertService(
    context,
    { agents, claims, agentUsage, analytics, workflows, notifications, workspaces },
    options.alerts,
  );
  const skills = createSkillService(context, { agents, tasks, messages, documents, search });
  const personalDataExport = createPersonalDataExportService(context, {
    users,
    workspaces,
    mfa,
    oidc,
    notifications,
    notificationPreferences,
    audit,
    agentChat,
  });
  const erasure = createErasureService(context, {
    users,
    workspaces,
    auth,
    mfa,
    oidc,
    invitations,
    notifications,
    notificationPreferences,
    audit,
    agentChat,
  });
  const workspaceArchive = createWorkspaceArchiveService(context, { users, workspaces, audit });
  const retention = createRetentionService(context, { messages, attachments, notifications, agentRuns, audit });
  const credits = new CreditService(context, {
    organizations: new OrganizationDirectory(context),
    users,
    workspaces,
    audit,
    // Through a getter: the marketplace is built with the credits service.
    listingTitles: (listingIds) => marketplace.listings.findTitles(listingIds),
  });
  const stripeCheckout = new StripeCheckoutService(context, options.stripe, {
    audit,
    publicUrl: options.integrations?.publicUrl ?? '',
  });
  const marketplace = createMarketplaceServices(context, {
    agents,
    agentRuntimeSettings,
    skills,
    workflows,
    users,
    audit,
    workspaces,
    notifications,
    credits,
    tasks,
    outcomes,
    feePercent: options.marketplaceFeePercent ?? 10,
    transfers: options.stripe ? new StripeConnectTransfers(options.stripe) : undefined,
  });
  return {
    a2a,
    a2aDelegations,
    context,
    users,
    auth,
    workspaces,
    roles,
    organizations,
    organizationMembers,
    organizationSso,
    teams,
    invitations,
    notifications,
    agents,
    tasks,
    claims,
    heartbeats,
    activities,
    messages,
    documents,
    templates,
    documentShares,
    attachments,
    workingState,
    agentRuntimeSettings,
    agentRuns,
    agentUsage,
    coordination,
    outcomes,
    skills,
    agentChat,
    memorySummarizer,
    runnerRuns,
    runners,
    outbound,
    webhooks,
    notificationPreferences,
    notificationDelivery,
    inboundHooks,
    overview,
    mfa,
    oidc,
    integrationsWorker,
    audit,
    approvals,
    agentProposals,
    workflows,
    workflowEngine,
    workflowTemplates,
    routines,
    triggers,
    github,
    memories,
    search,
    analytics,
    system,
    recommendations,
    alerts,
    personalDataExport,
    erasure,
    workspaceArchive,
    retention,
    credits,
    stripeCheckout,
    marketplace,
  };
}

export type Services = ReturnType<typeof createServices>;
