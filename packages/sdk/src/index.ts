export { type Environment, MissionControl, type MissionControlOptions } from './client.js';
export {
  type ClientErrorCode,
  isMissionControlError,
  MissionControlError,
  type MissionControlErrorCode,
  type MissionControlErrorOptions,
} from './errors.js';
export {
  type ConnectionState,
  type ConnectionStatus,
  type ConnectOptions,
  EventStream,
  type EventStreamOptions,
  type FailureInfo,
  type ReadyInfo,
} from './event-stream.js';
export { type EventHandler, type EventTopic, topicsOf } from './event-stream-topics.js';
export type { SubscribeOptions, Unsubscribe, WebSocketConstructor, WebSocketLike } from './events.js';
export { PageIterator } from './pagination.js';
export type { ActivitiesResource, ListActivitiesOptions } from './resources/activities.js';
export type { AgentsResource, HeartbeatOptions, ListAgentsOptions } from './resources/agents.js';
export type { AlertsPage, AlertsResource, ListAlertsOptions } from './resources/alerts.js';
export type {
  AgentAnalyticsOptions,
  AnalyticsOverviewOptions,
  AnalyticsResource,
  CostsOptions,
  CycleTimeOptions,
  RecommendationsOptions,
  ThroughputOptions,
} from './resources/analytics.js';
export type { AttachmentContent, AttachmentsResource, DownloadedAttachment } from './resources/attachments.js';
export type { AuditLogResource, ExportAuditLogOptions, ListAuditLogOptions } from './resources/audit-log.js';
export type { AuthResource } from './resources/auth.js';
export type { CreditsResource } from './resources/credits.js';
export type { DocumentsResource, ListDocumentsOptions } from './resources/documents.js';
export type { ConnectGithubOptions, GithubResource, UpdateGithubConnectionOptions } from './resources/github.js';
export type { CreateInboundHookOptions, InboundHooksResource, UpdateInboundHookOptions } from './resources/inbound-hooks.js';
export type { InvitationsResource, ListInvitationsOptions } from './resources/invitations.js';
export type { InstallationsResource, MarketplaceResource, MarketplaceReviewsResource } from './resources/marketplace.js';
export type {
  CreateMemoryOptions,
  ListMemoriesOptions,
  MemoriesResource,
  SearchResource,
  ShareMemoryOptions,
} from './resources/memories.js';
export type { ListMessagesOptions, MessagesResource } from './resources/messages.js';
export type {
  ListNotificationDeliveriesOptions,
  NotificationPreferencesResource,
  UpdateNotificationChannelsOptions,
  UpdateNotificationPreferencesOptions,
} from './resources/notification-preferences.js';
export type { ListNotificationsOptions, NotificationPage, NotificationsResource } from './resources/notifications.js';
export type { OrganizationsResource, TeamsResource } from './resources/organizations.js';
export type { RentalsResource } from './resources/rentals.js';
export type { ListRunnersOptions, RegisterRunnerOptions, RunnersResource } from './resources/runners.js';
export type { CreateRunOptions, FinishRunOptions, ListRunsOptions, RunStepOptions, RunsResource } from './resources/runs.js';
export type { ChatOptions, RuntimeResource } from './resources/runtime.js';
export type {
  CreateSkillOptions,
  ListOutcomesOptions,
  ListSkillsOptions,
  SkillsResource,
  UpdateSkillOptions,
} from './resources/skills.js';
export type { SystemResource } from './resources/system.js';
export type { ClaimOptions, ListTasksOptions, TasksResource } from './resources/tasks.js';
export type { CreateWebhookOptions, ListWebhookDeliveriesOptions, UpdateWebhookOptions, WebhooksResource } from './resources/webhooks.js';
export type {
  ApprovalsResource,
  AutomationResource,
  CreateRoutineOptions,
  CreateTriggerOptions,
  ListWorkflowRunsOptions,
  StartWorkflowRunOptions,
  UpdateRoutineOptions,
  UpdateTriggerOptions,
  WorkflowsResource,
} from './resources/workflows.js';
export type { UpdateWorkingStateOptions, WorkingStateResource } from './resources/working-state.js';
export type { MembersResource, RolesResource, WorkspacesResource } from './resources/workspaces.js';
export type { CallOptions, EndpointCall, EndpointCallArguments, FetchFunction, RetryOptions, TransportResponse } from './transport.js';
