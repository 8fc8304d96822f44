import * as activityEndpoints from './activities.js';
import * as agentRuntimeEndpoints from './agent-runtime.js';
import * as agentEndpoints from './agents.js';
import * as alertEndpoints from './alerts.js';
import * as analyticsEndpoints from './analytics.js';
import * as attachmentEndpoints from './attachments.js';
import * as auditEndpoints from './audit.js';
import * as authEndpoints from './auth.js';
import * as automationEndpoints from './automation.js';
import * as complianceEndpoints from './compliance.js';
import * as coordinationEndpoints from './coordination.js';
import * as creditEndpoints from './credits.js';
import type { EndpointDefinition } from './define-endpoint.js';
import * as documentShareEndpoints from './document-shares.js';
import * as documentEndpoints from './documents.js';
import * as githubEndpoints from './github.js';
import * as healthEndpoints from './health.js';
import * as inboundHookEndpoints from './inbound-hooks.js';
import * as invitationEndpoints from './invitations.js';
import * as marketplaceEndpoints from './marketplace.js';
import * as memoryEndpoints from './memories.js';
import * as messageEndpoints from './messages.js';
import * as metricsEndpoints from './metrics.js';
import * as mfaEndpoints from './mfa.js';
import * as notificationPreferenceEndpoints from './notification-preferences.js';
import * as notificationEndpoints from './notifications.js';
import * as oidcEndpoints from './oidc.js';
import * as organizationEndpoints from './organizations.js';
import * as overviewEndpoints from './overview.js';
import * as payoutEndpoints from './payouts.js';
import * as permissionEndpoints from './permissions.js';
import * as rentalEndpoints from './rentals.js';
import * as retentionEndpoints from './retention.js';
import * as roleEndpoints from './roles.js';
import * as runnerEndpoints from './runners.js';
import * as runEndpoints from './runs.js';
import * as searchEndpoints from './search.js';
import * as skillEndpoints from './skills.js';
import * as subscriptionEndpoints from './subscriptions.js';
import * as systemEndpoints from './system.js';
import * as taskClaimEndpoints from './task-claims.js';
import * as taskEndpoints from './tasks.js';
import * as webhookEndpoints from './webhooks.js';
import * as workflowEndpoints from './workflows.js';
import * as workingStateEndpoints from './working-state.js';
import * as workspaceEndpoints from './workspaces.js';

export * from './define-endpoint.js';
export * from './endpoint-errors.js';
export * from './endpoint-tags.js';

/** Every operation of the API by operationId: the one definition the server, SDK and API document share. */
export const endpoints = {
  ...authEndpoints,
  ...workspaceEndpoints,
  ...organizationEndpoints,
  ...marketplaceEndpoints,
  ...creditEndpoints,
  ...payoutEndpoints,
  ...rentalEndpoints,
  ...subscriptionEndpoints,
  ...invitationEndpoints,
  ...agentEndpoints,
  ...agentRuntimeEndpoints,
  ...runnerEndpoints,
  ...runEndpoints,
  ...taskEndpoints,
  ...taskClaimEndpoints,
  ...coordinationEndpoints,
  ...messageEndpoints,
  ...documentEndpoints,
  ...documentShareEndpoints,
  ...attachmentEndpoints,
  ...activityEndpoints,
  ...notificationEndpoints,
  ...workingStateEndpoints,
  ...healthEndpoints,
  ...webhookEndpoints,
  ...inboundHookEndpoints,
  ...notificationPreferenceEndpoints,
  ...auditEndpoints,
  ...overviewEndpoints,
  ...mfaEndpoints,
  ...workflowEndpoints,
  ...automationEndpoints,
  ...githubEndpoints,
  ...memoryEndpoints,
  ...searchEndpoints,
  ...skillEndpoints,
  ...analyticsEndpoints,
  ...metricsEndpoints,
  ...systemEndpoints,
  ...alertEndpoints,
  ...oidcEndpoints,
  ...permissionEndpoints,
  ...complianceEndpoints,
  ...retentionEndpoints,
  ...roleEndpoints,
};

/** Every operation, in a list (for the API document and tests). */
export const allEndpoints: readonly EndpointDefinition[] = Object.values(endpoints);
