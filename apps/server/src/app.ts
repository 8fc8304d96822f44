import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import { signatureHeader, signatureNonceHeader, signatureTimestampHeader } from '@mission-control/contracts';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type preHandlerHookHandler } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authRoutes, publicAuthRoutes } from './auth/auth.routes.js';
import { createAuthenticateHook } from './auth/authenticate.js';
import { multipartOverheadBytes, registerRequestSignatures } from './auth/request-signature.js';
import type { Config } from './config.js';
import type { EventStream } from './events/event-stream.js';
import { streamRoutes } from './events/stream.routes.js';
import { answerClientError, answerFrameworkError, answerWebSocketHandshakeError, registerErrorHandling } from './http/error-handler.js';
import { registerIdempotencyKeys } from './http/idempotency.js';
import { registerJsonBodyParser } from './http/json-body.js';
import { withSecretRedaction } from './http/log-redaction.js';
import {
  connectRateLimitStore,
  createAuthenticationFailureLimit,
  defaultRateLimitNamespace,
  registerAddressRateLimit,
  registerOrganizationRateLimit,
  registerPrincipalRateLimit,
} from './http/rate-limits.js';
import { responseSerializerCompiler } from './http/response-serializer.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { a2aRoutes } from './modules/a2a/a2a.routes.js';
import { activityRoutes } from './modules/activities/activity.routes.js';
import { agentProposalRoutes } from './modules/agent-proposals/agent-proposal.routes.js';
import { agentRuntimeRoutes } from './modules/agent-runtime/agent-runtime.routes.js';
import { runnerRunRoutes } from './modules/agent-runtime/runner-run.routes.js';
import { agentRoutes } from './modules/agents/agent.routes.js';
import { alertRoutes } from './modules/alerts/alert.routes.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { apiDocumentRoutes } from './modules/api-document/api-document.routes.js';
import { approvalRoutes } from './modules/approvals/approval.routes.js';
import { attachmentRoutes } from './modules/attachments/attachment.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { rememberRequestOrigin } from './modules/audit/audit-origin.js';
import { complianceRoutes } from './modules/compliance/compliance.routes.js';
import { coordinationRoutes } from './modules/coordination/coordination.routes.js';
import { creditRoutes, stripeWebhookRoutes } from './modules/credits/credit.routes.js';
import { registerCompression } from './modules/dashboard/compression.js';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.js';
import { documentShareRoutes, sharePageRoutes } from './modules/document-shares/document-share.routes.js';
import { documentTemplateRoutes } from './modules/document-templates/document-template.routes.js';
import { documentRoutes } from './modules/documents/document.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { heartbeatRoutes } from './modules/heartbeats/heartbeat.routes.js';
import { githubEventRoutes, githubRoutes } from './modules/integrations/github/github.routes.js';
import { inboundHookReceiveRoutes, inboundHookRoutes } from './modules/integrations/hooks/inbound-hook.routes.js';
import { webhookRoutes } from './modules/integrations/webhooks/webhook.routes.js';
import { invitationRoutes, publicInvitationRoutes } from './modules/invitations/invitation.routes.js';
import { marketplaceRoutes } from './modules/marketplace/marketplace.routes.js';
import { mcpRoutes } from './modules/mcp/mcp.routes.js';
import { memoryRoutes } from './modules/memories/memory.routes.js';
import { messageRoutes } from './modules/messages/message.routes.js';
import { countRequests, metricsRoutes } from './modules/metrics/metrics.routes.js';
import { createMetrics } from './modules/metrics/metrics-registry.js';
import { mfaRoutes, publicMfaRoutes } from './modules/mfa/mfa.routes.js';
import { notificationRoutes } from './modules/notifications/notification.routes.js';
import { notificationPreferenceRoutes } from './modules/notifications/notification-preference.routes.js';
import { publicOidcRoutes } from './modules/oidc/oidc.routes.js';
import { organizationRoutes } from './modules/organizations/organization.routes.js';
import { overviewRoutes } from './modules/overview/overview.routes.js';
import { permissionRoutes } from './modules/permissions/permission.routes.js';
import { retentionRoutes } from './modules/retention/retention.routes.js';
import { roleRoutes } from './modules/roles/role.routes.js';
import { routineRoutes } from './modules/routines/routine.routes.js';
import { runnerRoutes } from './modules/runners/runner.routes.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { skillRoutes } from './modules/skills/skill.routes.js';
import { statusApiRoutes, statusPageRoutes, systemRoutes } from './modules/system/system.routes.js';
import { taskRoutes } from './modules/tasks/task.routes.js';
import { taskClaimRoutes } from './modules/tasks/task-claim.routes.js';
import { triggerRoutes } from './modules/triggers/trigger.routes.js';
import { workflowTemplateRoutes } from './modules/workflow-templates/workflow-template.routes.js';
import { workflowRoutes } from './modules/workflows/workflow.routes.js';
import { workingStateRoutes } from './modules/working-state/working-state.routes.js';
import { workspaceRoutes } from './modules/workspaces/workspace.routes.js';
import type { Services } from './services.js';
import type { Tracing } from './tracing/tracing.js';
import { version } from './version.js';

export interface BuildAppOptions {
  config: Pick<Config, 'bodyLimitBytes' | 'corsOrigins' | 'trustProxy'> &
    Partial<
      Pick<
        Config,
        | 'redisUrl'
        | 'rateLimitPerMinute'
        | 'loginRateLimitPerMinute'
        | 'unauthenticatedRateLimitPerMinute'
        | 'publicUrl'
        | 'mcpSessionIdleSeconds'
        | 'metricsToken'
        | 'attachmentMaxBytes'
        | 'statusPage'
      >
    >;
  services: Services;
  logger?: FastifyServerOptions['logger'];
  /** The built dashboard (apps/dashboard/dist) to serve at `/`; not served when left out. */
  dashboardDirectory?: string;
  /** The instance's event stream; without it the WebSocket endpoints are not mounted. */
  stream?: EventStream;
  /** Prefix of the rate-limit counters in Redis (tests give each run its own). */
  rateLimitNamespace?: string;
  /** Limits of /mcp: open sessions per agent or user (20 by default), keep-alive of its event streams (15 s). */
  mcp?: { maxSessionsPerPrincipal?: number; sseKeepAliveMs?: number };
  /** Told of every route as it is registered (tests compare them with the endpoint definitions). */
  onRoute?: (route: { method: string; url: string }) => void;
  /** One span per request when tracing is on (startTracing). */
  tracing?: Tracing | undefined;
}

/** MISSION_ATTACHMENT_MAX_BYTES's default, for apps built without the whole config (tests). */
const defaultAttachmentMaxBytes = 25 * 1_024 * 1_024;

/** Builds the HTTP app with every plugin and feature module. Never listens: tests call app.inject. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, services } = options;
  const app = Fastify({
    logger: withSecretRedaction(options.logger),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // The error handling answers these with the one error body (see registerErrorHandling).
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  // First, at the root: @fastify/otel wraps the hooks registered after it.
  if (options.tracing) await options.tracing.registerFastify(app);
  const onRoute = options.onRoute;
  if (onRoute) {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) onRoute({ method, url: route.url });
    });
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  registerErrorHandling(app);
  registerJsonBodyParser(app);
  const metrics = createMetrics({ context: services.context, stream: options.stream });
  countRequests(app, metrics);

  // Helmet's headers, computed once instead of per request (see security-headers.ts).
  registerSecurityHeaders(app);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
      credentials: true,
      // Every method the API uses (the default is GET, HEAD and POST) and the request headers it reads.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'If-Match',
        'Mcp-Session-Id',
        'Mcp-Protocol-Version',
        // The SDK signs every request made with an API key (decision 0030).
        signatureTimestampHeader,
        signatureNonceHeader,
        signatureHeader,
      ],
      exposedHeaders: [
        'Retry-After',
        'ETag',
        'Idempotency-Replayed',
        'Mcp-Session-Id',
        'WWW-Authenticate',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
      ],
    });
  }

  await registerCompression(app);
  await app.register(apiDocumentRoutes, { version, publicUrl: config.publicUrl });

  let principalRateLimit: preHandlerHookHandler | undefined;
  const rateLimitStore = {
    redis: connectRateLimitStore(app, config.redisUrl),
    namespace: options.rateLimitNamespace ?? defaultRateLimitNamespace,
  };
  await app.register(async (healthApi) => {
    // Generous: load balancers and probes from one address check every few seconds.
    await registerAddressRateLimit(healthApi, {
      ...rateLimitStore,
      namespace: `${rateLimitStore.namespace}health:`,
      max: 600,
      what: 'health checks from your address',
    });
    await healthApi.register(healthRoutes, {
      context: services.context,
      version,
      tailer: options.stream?.tailer,
      redis: rateLimitStore.redis,
    });
  });
  if (options.stream) {
    // Heartbeats answer from memory only while the instance's event stream keeps that memory current.
    services.heartbeats.summaries.follow(options.stream.tailer);
    app.addHook('onClose', () => services.heartbeats.summaries.stopFollowing());
    // Credentials resolve from memory (≤ 1 s) only while the same stream drops what it revokes.
    services.auth.principals.follow(options.stream.tailer);
    app.addHook('onClose', () => services.auth.principals.stopFollowing());
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    app.websocketServer.on('wsClientError', answerWebSocketHandshakeError);
    await app.register(streamRoutes, {
      services,
      hub: options.stream.hub,
      credentials: options.stream.credentials,
      pingIntervalMs: options.stream.pingIntervalMs,
      authTimeoutMs: options.stream.authTimeoutMs,
    });
  }

  app.addHook('onClose', () => services.workingState.stopMirroring());

  await app.register(
    async (api) => {
      await api.register(async (publicApi) => {
        await registerAddressRateLimit(publicApi, { ...rateLimitStore, max: config.loginRateLimitPerMinute ?? 20 });
        await publicApi.register(publicAuthRoutes, { auth: services.auth });
        await publicApi.register(publicInvitationRoutes, { invitations: services.invitations });
        await publicApi.register(publicMfaRoutes, { mfa: services.mfa });
        await publicApi.register(publicOidcRoutes, { oidc: services.oidc });
      });
      await api.register(async (statusApi) => {
        // Public when MISSION_STATUS_PAGE=1: limited per address like the health checks.
        await registerAddressRateLimit(statusApi, {
          ...rateLimitStore,
          namespace: `${rateLimitStore.namespace}status:`,
          max: 600,
          what: 'status checks from your address',
        });
        await statusApi.register(statusApiRoutes, { system: services.system, enabled: config.statusPage ?? false });
      });
      await api.register(async (hookApi) => {
        // Outside tools (CI, Zapier) call hooks often: a generous limit per address, and the secret checked per hook.
        await registerAddressRateLimit(hookApi, {
          ...rateLimitStore,
          namespace: `${rateLimitStore.namespace}hooks:`,
          max: 600,
          what: 'hook calls from your address',
        });
        await hookApi.register(inboundHookReceiveRoutes, { inboundHooks: services.inboundHooks });
        await hookApi.register(githubEventRoutes, { github: services.github });
        await hookApi.register(stripeWebhookRoutes, { stripeCheckout: services.stripeCheckout });
      });
      await api.register(async (protectedApi) => {
        protectedApi.decorateRequest('principal');
        // Order matters: authenticate (onRequest), then count the request, then claim its Idempotency-Key (preHandlers).
        await registerPrincipalRateLimit(protectedApi, { ...rateLimitStore, max: config.rateLimitPerMinute ?? 1_200 });
        const failures = createAuthenticationFailureLimit(protectedApi, { max: config.unauthenticatedRateLimitPerMinute ?? 60 });
        protectedApi.addHook('onRequest', createAuthenticateHook(services.auth, { failures }));
        protectedApi.addHook('onRequest', rememberRequestOrigin);
        registerRequestSignatures(protectedApi, {
          clock: services.context.clock,
          rememberSignature: (hash, expiresAt) => services.auth.apiKeys.rememberRequestSignature(hash, expiresAt),
          maxMultipartBytes: (config.attachmentMaxBytes ?? defaultAttachmentMaxBytes) + multipartOverheadBytes,
        });
        principalRateLimit = protectedApi.rateLimit();
        registerOrganizationRateLimit(protectedApi, {
          findLimit: (workspaceId) => services.organizations.findRequestLimit(workspaceId),
        });
        registerIdempotencyKeys(protectedApi, services.context);
        await protectedApi.register(authRoutes, { auth: services.auth });
        await protectedApi.register(workspaceRoutes, { workspaces: services.workspaces });
        await protectedApi.register(roleRoutes, { roles: services.roles });
        await protectedApi.register(organizationRoutes, {
          organizations: services.organizations,
          organizationMembers: services.organizationMembers,
          organizationSso: services.organizationSso,
          teams: services.teams,
        });
        await protectedApi.register(invitationRoutes, { invitations: services.invitations, publicUrl: config.publicUrl });
        await protectedApi.register(marketplaceRoutes, services.marketplace);
        await protectedApi.register(creditRoutes, { credits: services.credits, stripeCheckout: services.stripeCheckout });
        await protectedApi.register(agentRoutes, {
          agents: services.agents,
          prepareRemoteAgent: async (principal, input) => {
            const card = await services.a2aDelegations.readRemoteCard(principal, input);
            return () => services.a2aDelegations.registerRemoteAgent(principal, input, card);
          },
        });
        await protectedApi.register(heartbeatRoutes, { heartbeats: services.heartbeats });
        await protectedApi.register(taskClaimRoutes, { claims: services.claims });
        await protectedApi.register(taskRoutes, { tasks: services.tasks });
        await protectedApi.register(messageRoutes, { messages: services.messages });
        await protectedApi.register(documentRoutes, { documents: services.documents });
        await protectedApi.register(documentTemplateRoutes, { templates: services.templates });
        await protectedApi.register(documentShareRoutes, { shares: services.documentShares, publicUrl: config.publicUrl });
        await protectedApi.register(attachmentRoutes, {
          attachments: services.attachments,
          maxBytes: config.attachmentMaxBytes ?? defaultAttachmentMaxBytes,
        });
        await protectedApi.register(activityRoutes, { activities: services.activities });
        await protectedApi.register(notificationRoutes, { notifications: services.notifications });
        await protectedApi.register(workingStateRoutes, { workingState: services.workingState });
        await protectedApi.register(agentRuntimeRoutes, {
          agentRuntimeSettings: services.agentRuntimeSettings,
          agentRuns: services.agentRuns,
          agentUsage: services.agentUsage,
          agentChat: services.agentChat,
          credentials: options.stream?.credentials,
        });
        await protectedApi.register(coordinationRoutes, { coordination: services.coordination });
        await protectedApi.register(runnerRoutes, { runners: services.runners });
        await protectedApi.register(runnerRunRoutes, { runnerRuns: services.runnerRuns });
        await protectedApi.register(webhookRoutes, { webhooks: services.webhooks });
        await protectedApi.register(inboundHookRoutes, { inboundHooks: services.inboundHooks });
        await protectedApi.register(notificationPreferenceRoutes, {
          notificationPreferences: services.notificationPreferences,
          notificationDelivery: services.notificationDelivery,
        });
        await protectedApi.register(auditRoutes, { audit: services.audit });
        await protectedApi.register(retentionRoutes, { retention: services.retention });
        await protectedApi.register(overviewRoutes, { overview: services.overview });
        await protectedApi.register(mfaRoutes, { mfa: services.mfa });
        await protectedApi.register(workflowRoutes, { workflows: services.workflows });
        await protectedApi.register(approvalRoutes, { approvals: services.approvals });
        await protectedApi.register(agentProposalRoutes, { agentProposals: services.agentProposals });
        await protectedApi.register(workflowTemplateRoutes, { workflowTemplates: services.workflowTemplates });
        await protectedApi.register(routineRoutes, { routines: services.routines });
        await protectedApi.register(triggerRoutes, { triggers: services.triggers });
        await protectedApi.register(githubRoutes, { github: services.github });
        await protectedApi.register(memoryRoutes, { memories: services.memories });
        await protectedApi.register(searchRoutes, { search: services.search });
        await protectedApi.register(analyticsRoutes, { analytics: services.analytics, recommendations: services.recommendations });
        await protectedApi.register(systemRoutes, { system: services.system });
        await protectedApi.register(alertRoutes, { alerts: services.alerts });
        await protectedApi.register(skillRoutes, { skills: services.skills, outcomes: services.outcomes });
        await protectedApi.register(permissionRoutes);
        await protectedApi.register(complianceRoutes, {
          personalDataExport: services.personalDataExport,
          erasure: services.erasure,
          workspaceArchive: services.workspaceArchive,
        });
      });
    },
    { prefix: '/api/v1' },
  );

  // /mcp lives outside /api/v1 but counts against the same per-principal limit (the same counters).
  await app.register(mcpRoutes, {
    auth: services.auth,
    credentials: options.stream?.credentials,
    rateLimit: principalRateLimit,
    sessionIdleMs: config.mcpSessionIdleSeconds === undefined ? undefined : config.mcpSessionIdleSeconds * 1_000,
    maxSessionsPerPrincipal: options.mcp?.maxSessionsPerPrincipal,
    sseKeepAliveMs: options.mcp?.sseKeepAliveMs,
  });
  await app.register(async (metricsApi) => {
    // A scraper every 15 s, people now and then; a wrong credential is limited like any unauthenticated caller.
    await registerAddressRateLimit(metricsApi, {
      ...rateLimitStore,
      namespace: `${rateLimitStore.namespace}metrics:`,
      max: 120,
      what: 'metrics scrapes from your address',
    });
    await metricsApi.register(metricsRoutes, { metrics, auth: services.auth, metricsToken: config.metricsToken });
  });
  await app.register(async (statusPage) => {
    await registerAddressRateLimit(statusPage, {
      ...rateLimitStore,
      namespace: `${rateLimitStore.namespace}status-page:`,
      max: 600,
      what: 'status page views from your address',
    });
    await statusPage.register(statusPageRoutes, { system: services.system, enabled: config.statusPage ?? false });
  });
  await app.register(async (shareApi) => {
    // Share pages are read by people following a link: the limit of unauthenticated calls per address.
    await registerAddressRateLimit(shareApi, {
      ...rateLimitStore,
      namespace: `${rateLimitStore.namespace}shares:`,
      max: config.unauthenticatedRateLimitPerMinute ?? 60,
      what: 'shared pages opened from your address',
    });
    await shareApi.register(sharePageRoutes, { shares: services.documentShares });
  });
  await app.register(async (a2aApi) => {
    // Cards are public and read by programs: a generous limit per address, and per principal on calls.
    await registerAddressRateLimit(a2aApi, {
      ...rateLimitStore,
      namespace: `${rateLimitStore.namespace}a2a:`,
      max: 600,
      what: 'A2A requests from your address',
    });
    if (options.stream) services.a2a.followEvents(options.stream.tailer);
    await a2aApi.register(a2aRoutes, {
      a2a: services.a2a,
      agents: services.agents,
      workspaces: services.workspaces,
      auth: services.auth,
      publicUrl: config.publicUrl,
      rateLimit: principalRateLimit,
    });
  });
  if (options.dashboardDirectory) await app.register(dashboardRoutes, { directory: options.dashboardDirectory });
  return app;
}
