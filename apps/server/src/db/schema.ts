import type {
  AgentKind,
  AgentRuntimeKind,
  AgentStatus,
  ApprovalStatus,
  ChatRole,
  DocumentType,
  EventType,
  ExternalNotificationChannel,
  InboundHookAction,
  InvitationRole,
  MessageType,
  ModelProviderName,
  NotificationKind,
  NotificationReason,
  PrincipalKind,
  RunnerAdapterName,
  RunnerStatus,
  RunStatus,
  RunTrigger,
  RuntimeState,
  TaskPriority,
  TaskStatus,
  WorkflowRunStatus,
  WorkflowStepKind,
  WorkflowStepStatus,
  WorkspaceRole,
} from '@mission-control/contracts';
import type { ColumnType, Generated } from 'kysely';

// Enum columns are text on both engines; their types come from the contracts, so a row reads as
// the API type without a cast. Only the services write them, with values of these types.

/** Timestamps are ISO-8601 strings in and out, on both engines (see db/database.ts). */
type Timestamp = string;
/**
 * JSON columns: jsonb on PostgreSQL, text on SQLite. Written as JSON text; read back as unknown,
 * so every reader goes through parseJsonColumn with the column's zod schema (db/json-column.ts).
 */
export type Json = ColumnType<unknown, string, string>;
/** A JSON column that may be NULL (nothing set). */
export type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

export interface WorkspaceTable {
  id: string;
  name: string;
  slug: string;
  task_key_prefix: string;
  task_counter: number;
  /** Column → limit (contracts' wipLimitsSchema); `{}` when none is set. */
  wip_limits: Json;
  created_at: Timestamp;
  /** The organisation that owns it; null only between migration steps. */
  organization_id: ColumnType<string | null, string, string>;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  role: WorkspaceRole;
  created_at: Timestamp;
  /** A custom role narrowing `role`; null for the built-in role alone. */
  custom_role_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The role given to the person directly; null when they are a member only through teams. */
  direct_role: ColumnType<WorkspaceRole | null, WorkspaceRole | null | undefined, WorkspaceRole | null>;
  direct_custom_role_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The highest role their teams give them here; null when no team does. */
  team_role: ColumnType<WorkspaceRole | null, WorkspaceRole | null | undefined, WorkspaceRole | null>;
  team_custom_role_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrganizationTable {
  id: string;
  name: string;
  slug: string;
  /** Contracts' organizationLimitsSchema; `{}` when none is set. */
  limits: Json;
  password_sign_in_disabled: number;
  mfa_required: number;
  created_at: Timestamp;
}

export interface OrganizationMemberTable {
  organization_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'member';
  created_at: Timestamp;
}

export interface TeamTable {
  id: string;
  organization_id: string;
  name: string;
  name_key: string;
  description: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamMemberTable {
  team_id: string;
  member_kind: 'user' | 'agent';
  member_id: string;
  created_at: Timestamp;
}

export interface TeamWorkspaceAccessTable {
  team_id: string;
  workspace_id: string;
  role: 'admin' | 'member' | 'viewer';
  custom_role_id: string | null;
  created_at: Timestamp;
}

export interface CustomRoleTable {
  id: string;
  workspace_id: string;
  name: string;
  /** The name in lower case, unique in the workspace. */
  name_key: string;
  description: string;
  base_role: 'admin' | 'member' | 'viewer';
  /** JSON array of permission names. */
  permissions: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InvitationTable {
  id: string;
  workspace_id: string;
  email: string;
  role: InvitationRole;
  /** Never `expired`: that is read from expires_at. */
  status: 'pending' | 'accepted' | 'declined' | 'revoked';
  token_hash: string;
  invited_by_id: string;
  accepted_by_user_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  responded_at: Timestamp | null;
}

export interface AgentTable {
  id: string;
  workspace_id: string;
  name: string;
  name_key: string;
  role: string;
  kind: AgentKind;
  status: AgentStatus;
  session_key: string;
  capabilities: Json;
  memory_context: string;
  heartbeat_interval_seconds: number;
  concurrency_limit: number;
  last_heartbeat_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  presence_deadline_at: Timestamp | null;
  /** 1 when the agent publishes an A2A agent card. */
  a2a_published: Generated<number>;
}

/** Where an A2A client wants a task's updates posted (A2A push notifications). */
export interface A2aPushConfigTable {
  id: string;
  task_id: string;
  workspace_id: string;
  /** The id the client gave the config (or ours when it gave none); unique per task. */
  client_config_id: string;
  url: string;
  /** Sealed with the instance secret: sent back as X-A2A-Notification-Token. */
  sealed_token: string | null;
  authentication_scheme: string | null;
  sealed_credentials: string | null;
  cursor_seq: number;
  created_at: Timestamp;
}

/** A squad member reached over A2A: the card it was registered from and the key it expects. */
export interface A2aRemoteAgentTable {
  agent_id: string;
  workspace_id: string;
  card_url: string;
  endpoint_url: string;
  /** The agent card as read (A2A JSON). */
  card: Json;
  /** Sealed with the instance secret; sent as Authorization: Bearer. */
  sealed_api_key: string | null;
  created_at: Timestamp;
}

/** A board task sent to a remote agent over A2A, and how far its remote task was mirrored back. */
export interface A2aDelegationTable {
  task_id: string;
  agent_id: string;
  workspace_id: string;
  /** Null until the remote agent answered the message. */
  remote_task_id: string | null;
  context_id: string;
  /** The remote task's state as last seen (TASK_STATE_…), or "sending" before it answered. */
  remote_state: string;
  /** The id of the remote question last posted on the thread, so that it is posted once. */
  last_question_id: string | null;
  /** The last message of the remote task's history already seen, so that each is mirrored once. */
  last_message_id: string | null;
  /** Thread messages after this moment are answers still to forward. */
  forwarded_after: Timestamp | null;
  next_poll_at: Timestamp;
  failures: number;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A board task a remote Agent2Agent client created, with the A2A context it belongs to. */
export interface A2aTaskTable {
  task_id: string;
  workspace_id: string;
  /** The agent it was sent to; null when sent to the workspace (the lead routes it). */
  agent_id: string | null;
  context_id: string;
  /** The A2A message that created it, so that a retry finds it. */
  message_id: string | null;
  requester_kind: PrincipalKind;
  requester_id: string;
  created_at: Timestamp;
}

export interface ApiKeyTable {
  id: string;
  workspace_id: string;
  owner_kind: PrincipalKind;
  owner_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  expires_at: Timestamp | null;
  /** A JSON array of permission names; NULL when the key acts with its owner's full role. */
  scopes: NullableJson;
  /** A JSON array of addresses and CIDR ranges; NULL when any address may use the key. */
  allowed_ips: NullableJson;
  rate_limit_per_minute: number | null;
  /** The key's request-signing key, sealed; NULL when its requests need no signature. */
  sealed_signing_key: string | null;
  last_used_ip: string | null;
  replaced_by_id: string | null;
}

export interface RequestSignatureTable {
  /** SHA-256 of the key id and the signature: a signature seen within the tolerance is refused again. */
  signature_hash: string;
  expires_at: Timestamp;
}

export interface SessionTable {
  id: string;
  user_id: string;
  workspace_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  /** 1 while the person must enrol a second factor before anything else (their organisation requires one). */
  mfa_enrolment_required: ColumnType<number, number | undefined, number>;
}

export interface RefreshTokenTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface TaskTable {
  id: string;
  workspace_id: string;
  number: number;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  priority_rank: number;
  creator_kind: PrincipalKind;
  creator_id: string;
  parent_id: string | null;
  due_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
  lease_token: string | null;
  lease_holder_kind: PrincipalKind | null;
  lease_holder_id: string | null;
  lease_expires_at: Timestamp | null;
  lease_seconds: number | null;
}

export interface TaskAssigneeTable {
  task_id: string;
  workspace_id: string;
  assignee_kind: PrincipalKind;
  assignee_id: string;
  assigned_at: Timestamp;
}

export interface TaskDependencyTable {
  task_id: string;
  depends_on_id: string;
  workspace_id: string;
}

export interface TaskCapabilityTable {
  task_id: string;
  capability: string;
}

export interface MessageTable {
  id: string;
  workspace_id: string;
  task_id: string;
  author_kind: PrincipalKind;
  author_id: string;
  content: string;
  type: MessageType;
  reply_to_id: string | null;
  attachments: Json;
  created_at: Timestamp;
}

/** One person's emoji on a message; the key (message, emoji, person) makes reacting idempotent. */
export interface MessageReactionTable {
  id: string;
  message_id: string;
  workspace_id: string;
  emoji: string;
  reactor_kind: PrincipalKind;
  reactor_id: string;
  created_at: Timestamp;
}

/** A workspace's own document template (the built-ins are in code). */
export interface DocumentTemplateTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  type: DocumentType;
  content: string;
  created_at: Timestamp;
}

export interface DocumentTable {
  id: string;
  workspace_id: string;
  task_id: string | null;
  title: string;
  content: string;
  type: DocumentType;
  author_kind: PrincipalKind;
  author_id: string;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DocumentVersionTable {
  document_id: string;
  version: number;
  workspace_id: string;
  title: string;
  content: string;
  type: DocumentType;
  author_kind: PrincipalKind;
  author_id: string;
  created_at: Timestamp;
}

export interface EventTable {
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  type: EventType;
  actor_kind: PrincipalKind | null;
  actor_id: string | null;
  task_id: string | null;
  agent_id: string | null;
  summary: string;
  data: Json;
  created_at: Timestamp;
}

export interface NotificationTable {
  id: string;
  workspace_id: string;
  recipient_kind: PrincipalKind;
  recipient_id: string;
  task_id: string | null;
  reason: NotificationReason;
  kind: NotificationKind | null;
  content: string;
  delivered_at: Timestamp | null;
  read_at: Timestamp | null;
  created_at: Timestamp;
}

export interface InstanceSecretTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

export interface WorkingStateVersionTable {
  workspace_id: string;
  version: number;
  notes: string;
  author_kind: PrincipalKind;
  author_id: string;
  created_at: Timestamp;
}

export interface IdempotencyKeyTable {
  /** `agent:<id>` or `user:<id>`. */
  principal: string;
  key: string;
  request_hash: string;
  status: 'in_progress' | 'completed';
  status_code: number | null;
  response_body: string | null;
  created_at: Timestamp;
}

export interface AgentRuntimeTable {
  agent_id: string;
  workspace_id: string;
  runtime: AgentRuntimeKind;
  provider: ModelProviderName | null;
  model: string | null;
  temperature: number | null;
  step_limit: number;
  instructions: string;
  credential: string | null;
  state: RuntimeState;
  next_run_at: Timestamp | null;
  last_run_at: Timestamp | null;
  failures: number;
  backoff_until: Timestamp | null;
  last_error: string | null;
  wake_requested_at: Timestamp | null;
  wake_task_id: string | null;
  work_fingerprint: string | null;
  lease_holder: string | null;
  lease_expires_at: Timestamp | null;
  updated_at: Timestamp;
  /** The agent's workspace settings (an AgentWorkspace), or NULL without one. */
  workspace: NullableJson;
}

export interface AgentRunTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  task_id: string | null;
  trigger: RunTrigger;
  status: RunStatus;
  // A model provider for built-in turns; the adapter's name for runner runs.
  provider: string;
  model: string;
  prompt: Json;
  output: string;
  tokens_in: number;
  tokens_out: number;
  cost_micro_dollars: number;
  model_calls: number;
  duration_ms: number | null;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  adapter: string | null;
  runner_id: string | null;
  session_id: string | null;
  branch: string | null;
  commit_sha: string | null;
  cancel_requested_at: Timestamp | null;
  /** JSON `null` until the test gate ran; a missing column value (older rows) reads as null too. */
  test_result: Json;
  /** When the retention purge deleted the transcript (prompt, steps, output, error); null while it is kept. */
  transcript_deleted_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

export interface RunnerTable {
  id: string;
  workspace_id: string;
  runner_key: string;
  name: string;
  host: string;
  version: string;
  adapters: Json;
  concurrency: number;
  heartbeat_interval_seconds: number;
  status: RunnerStatus;
  last_heartbeat_at: Timestamp;
  offline_after: Timestamp;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export interface RunnerAgentTable {
  runner_id: string;
  agent_id: string;
  workspace_id: string;
  adapter: RunnerAdapterName;
  registered_at: Timestamp;
}

export interface AgentRunStepTable {
  run_id: string;
  step_index: number;
  workspace_id: string;
  step: Json;
  created_at: Timestamp;
}

export interface BudgetTable {
  id: string;
  workspace_id: string;
  agent_id: string | null;
  scope: string;
  monthly_token_limit: number | null;
  monthly_cost_limit_micro_dollars: number | null;
  warned_period: string | null;
  exhausted_period: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkspaceRuntimeSettingsTable {
  workspace_id: string;
  auto_assign_enabled_at: Timestamp | null;
  human_review_disabled_at: Generated<Timestamp | null>;
  updated_at: Timestamp;
}

export interface AgentChatMessageTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  user_id: string;
  role: ChatRole;
  author_id: string | null;
  content: string;
  created_at: Timestamp;
}

export interface WebhookEndpointTable {
  id: string;
  workspace_id: string;
  url: string;
  events: Json;
  filter: string | null;
  description: string;
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
  /** Sealed with the instance secret (core/secret-box.ts). */
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Timestamp | null;
  cursor_seq: number;
  failing_since: Timestamp | null;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type OutboundDeliveryStatus = 'pending' | 'failed' | 'succeeded' | 'dead';

export interface OutboundDeliveryTable {
  id: string;
  workspace_id: string;
  /** Which transport sends it: webhook, email, slack, discord (the outbound sender's channels). */
  channel: string;
  target_id: string;
  ordering_key: string | null;
  dedupe_key: string | null;
  event_type: string;
  event_seq: number | null;
  payload: Json;
  status: OutboundDeliveryStatus;
  attempt_count: number;
  round_attempts: number;
  next_attempt_at: Timestamp | null;
  lease_holder: string | null;
  lease_expires_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OutboundAttemptTable {
  delivery_id: string;
  attempt_number: number;
  workspace_id: string;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  response_excerpt: string;
  error: string | null;
}

export interface EventCursorTable {
  name: string;
  seq: number;
  updated_at: Timestamp;
}

export interface NotificationPreferenceTable {
  workspace_id: string;
  recipient_kind: PrincipalKind;
  recipient_id: string;
  settings: Json;
  email_address: string | null;
  /** Sealed incoming-webhook URLs. */
  slack_webhook_url: string | null;
  discord_webhook_url: string | null;
  updated_at: Timestamp;
}

export interface NotificationChannelTable {
  workspace_id: string;
  slack_webhook_url: string | null;
  discord_webhook_url: string | null;
  updated_at: Timestamp;
}

export interface NotificationDigestItemTable {
  id: string;
  workspace_id: string;
  recipient_kind: PrincipalKind;
  recipient_id: string;
  channel: ExternalNotificationChannel;
  notification_id: string;
  send_after: Timestamp;
  created_at: Timestamp;
}

export interface InboundHookTable {
  id: string;
  workspace_id: string;
  name: string;
  action: InboundHookAction;
  template: Json;
  secret: string;
  disabled_at: Timestamp | null;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  last_received_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuditEntryTable {
  id: string;
  workspace_id: string;
  at: Timestamp;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_kind: string;
  target_id: string | null;
  summary: string;
  ip: string | null;
  user_agent: string | null;
  before_fields: NullableJson;
  after_fields: NullableJson;
}

export interface MonitoringSettingsTable {
  workspace_id: string;
  audit_retention_days: number;
  alert_thresholds: Json;
  updated_at: Timestamp;
}

export interface AlertTable {
  id: string;
  workspace_id: string;
  kind: string;
  severity: string;
  status: string;
  dedupe_key: string;
  subject_kind: string | null;
  subject_id: string | null;
  summary: string;
  details: Json;
  raised_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

/** The anomaly detector's thresholds per workspace and the last minute it ran there (migration 0026). */
export interface AlertSettingsTable {
  workspace_id: string;
  thresholds: Json;
  /** Minutes since the epoch of the detector's last run for the workspace. */
  detector_tick: number;
  updated_at: Timestamp;
}

/** Board moves per quarter-hour slot, kept by triggers on events (migration 0020); '' means none. */
export interface BoardMoveSlotTable {
  workspace_id: string;
  slot: number;
  type: string;
  to_status: string;
  agent_id: string;
  /** Which of the count's rows this is (PostgreSQL spreads a count over several; SQLite keeps 0). */
  shard: Generated<number>;
  moves: number;
}

export interface MfaTotpFactorTable {
  user_id: string;
  secret_sealed: string;
  enabled_at: Timestamp | null;
  last_time_step: number | null;
  created_at: Timestamp;
}

export interface MfaRecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface MfaChallengeTable {
  id: string;
  user_id: string;
  workspace_id: string;
  token_hash: string;
  failed_attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface WorkflowTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  version: number;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowVersionTable {
  workflow_id: string;
  workspace_id: string;
  version: number;
  definition: Json;
  created_at: Timestamp;
}

export interface WorkflowRunTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  workflow_name: string;
  version: number;
  definition: Json;
  status: WorkflowRunStatus;
  inputs: Json;
  error: string | null;
  parent_run_id: string | null;
  parent_step_row_id: string | null;
  depth: number;
  started_by_kind: PrincipalKind;
  started_by_id: string;
  started_by_role: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  wake_at: Timestamp | null;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
}

export interface WorkflowStepTable {
  id: string;
  run_id: string;
  workspace_id: string;
  step_id: string;
  item_index: number;
  kind: WorkflowStepKind;
  status: WorkflowStepStatus;
  task_id: string | null;
  approval_id: string | null;
  child_run_id: string | null;
  attempts: number;
  item: NullableJson;
  output: NullableJson;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  wake_at: Timestamp | null;
}

export interface WorkflowFeedCursorTable {
  workspace_id: string;
  cursor_seq: number;
}

export interface ApprovalTable {
  id: string;
  workspace_id: string;
  status: ApprovalStatus;
  title: string;
  source: Json;
  approver_roles: Json;
  requested_by_kind: PrincipalKind | null;
  requested_by_id: string | null;
  decided_by_kind: PrincipalKind | null;
  decided_by_id: string | null;
  comment: string | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  decided_at: Timestamp | null;
}

export interface RoutineTable {
  id: string;
  workspace_id: string;
  name: string;
  schedule: string;
  timezone: string;
  workflow_id: string | null;
  task: NullableJson;
  inputs: Json;
  ab_split: NullableJson;
  enabled: number;
  next_run_at: Timestamp | null;
  last_run_at: Timestamp | null;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  created_by_role: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TriggerTable {
  id: string;
  workspace_id: string;
  name: string;
  on_event: string;
  if_expression: string | null;
  action: Json;
  enabled: number;
  max_depth: number;
  cursor_seq: number;
  fired_count: number;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  created_by_role: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserIdentityTable {
  id: string;
  user_id: string;
  issuer: string;
  subject: string;
  email: string;
  created_at: Timestamp;
  last_signed_in_at: Timestamp;
}

export interface OidcSignInTable {
  id: string;
  state_hash: string;
  redirect_path: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  callback_at: Timestamp | null;
  user_id: string | null;
  workspace_id: string | null;
  exchange_code_hash: string | null;
  exchange_expires_at: Timestamp | null;
  exchanged_at: Timestamp | null;
  /** The organisation whose own provider this sign-in uses; null for the instance's. */
  organization_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrganizationSsoTable {
  organization_id: string;
  issuer: string;
  client_id: string;
  /** Sealed under the instance secret (createSecretBox). */
  client_secret_sealed: string;
  provider_name: string;
  /** Lowercase email domains that may sign in; `[]` for any. */
  allowed_email_domains: Json;
  updated_at: Timestamp;
}

export interface AttachmentTable {
  id: string;
  workspace_id: string;
  task_id: string;
  message_id: string | null;
  name: string;
  size: number;
  type: string;
  sha256: string;
  uploaded_by_kind: PrincipalKind;
  uploaded_by_id: string;
  created_at: Timestamp;
}

/** A read-only link to a document; the token is stored only as its SHA-256. */
export interface DocumentShareTable {
  id: string;
  workspace_id: string;
  document_id: string;
  token_hash: string;
  token_prefix: string;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  view_count: Generated<number>;
  last_viewed_at: Timestamp | null;
}

/** PostgreSQL only: attachment bytes by their SHA-256, shared by every instance. */
export interface AttachmentContentTable {
  sha256: string;
  content: Buffer;
}

export interface MarketplaceListingTable {
  id: string;
  kind: string;
  title: string;
  summary: string;
  description: string;
  category: string;
  tags: Json;
  tags_text: string;
  publisher_kind: string;
  publisher_id: string;
  created_by: string | null;
  organization_id: string | null;
  visibility: string;
  pricing: Json;
  pricing_model: string;
  latest_version: string;
  sources: Json;
  source_workspace_id: string | null;
  forked_from_listing_id: string | null;
  forked_from_title: string | null;
  forked_from_version: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface MarketplaceListingVersionTable {
  listing_id: string;
  version: string;
  changelog: string;
  content: Json;
  created_at: Timestamp;
}

export interface MarketplaceInstallationTable {
  id: string;
  listing_id: string;
  workspace_id: string;
  version: string;
  status: string;
  items: Json;
  /** 1 when the installer consented to count its results in the listing's figures. */
  share_figures: ColumnType<number, number | undefined, number>;
  installed_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MarketplaceReviewTable {
  id: string;
  listing_id: string;
  version: string;
  author_id: string;
  rating: number;
  body: string;
  status: string;
  matched_words: Json;
  reply_body: string | null;
  reply_at: Timestamp | null;
  moderation_decision: string | null;
  moderation_reason: string | null;
  moderated_by: string | null;
  moderated_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MarketplaceReviewReportTable {
  review_id: string;
  reporter_id: string;
  reason: string;
  created_at: Timestamp;
}

export interface MarketplaceSettingsTable {
  id: string;
  blocked_words: Json;
  updated_at: Timestamp;
}

export interface CreditAccountTable {
  id: string;
  kind: string;
  owner_id: string;
  created_at: Timestamp;
}

export interface CreditTransactionTable {
  id: string;
  kind: string;
  transaction_key: string;
  workspace_id: string | null;
  listing_id: string | null;
  refund_of: string | null;
  description: string;
  actor_kind: string;
  actor_id: string | null;
  created_at: Timestamp;
}

export interface CreditEntryTable {
  transaction_id: string;
  account_id: string;
  /** bigint on PostgreSQL: pg answers it as a string. */
  amount: ColumnType<number | string, number, number>;
}

export interface MarketplaceEntitlementTable {
  listing_id: string;
  workspace_id: string;
  transaction_id: string;
  created_at: Timestamp;
}

export interface MarketplaceRentalTable {
  id: string;
  listing_id: string;
  workspace_id: string;
  transaction_id: string;
  /** bigint on PostgreSQL: pg answers it as a string. */
  price_credits: ColumnType<number | string, number, number>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: string;
  access_ended_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MarketplaceSubscriptionTable {
  id: string;
  listing_id: string;
  workspace_id: string;
  /** subscription (monthly) or usage (metered). */
  model: string;
  /** active, stopped (a usage limit or an empty balance), ended. */
  status: string;
  monthly_credits: ColumnType<number | string | null, number | null, number | null>;
  unit: string | null;
  credits_per_unit: ColumnType<number | string | null, number | null, number | null>;
  spending_limit_credits: ColumnType<number | string | null, number | null, number | null>;
  uncharged_tokens: ColumnType<number | string, number | undefined, number>;
  period_number: number;
  period_start: Timestamp;
  period_end: Timestamp;
  cancel_at_period_end: ColumnType<number, number | undefined, number>;
  warned_period: number | null;
  stopped_reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MarketplacePayoutAccountTable {
  publisher_kind: string;
  publisher_id: string;
  stripe_account_id: string;
  updated_by: string;
  updated_at: Timestamp;
}

export interface MarketplacePayoutTable {
  id: string;
  publisher_kind: string;
  publisher_id: string;
  /** The workspace it was asked from: its audit log records it. */
  workspace_id: string;
  amount: ColumnType<number | string, number, number>;
  /** pending, paid, recorded, failed. */
  status: string;
  destination: string | null;
  transfer_id: string | null;
  failure: string | null;
  transaction_id: string;
  requested_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MarketplaceDisputeTable {
  id: string;
  rental_id: string;
  workspace_id: string;
  reason: string;
  status: string;
  opened_by: string;
  outcome: string | null;
  refunded: ColumnType<number | string | null, number | null, number | null>;
  released: ColumnType<number | string | null, number | null, number | null>;
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  created_at: Timestamp;
}

export interface Database {
  attachments: AttachmentTable;
  attachment_contents: AttachmentContentTable;
  workspaces: WorkspaceTable;
  users: UserTable;
  memberships: MembershipTable;
  custom_roles: CustomRoleTable;
  organizations: OrganizationTable;
  organization_members: OrganizationMemberTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  team_workspace_access: TeamWorkspaceAccessTable;
  organization_sso: OrganizationSsoTable;
  invitations: InvitationTable;
  agents: AgentTable;
  a2a_tasks: A2aTaskTable;
  a2a_push_configs: A2aPushConfigTable;
  a2a_remote_agents: A2aRemoteAgentTable;
  a2a_delegations: A2aDelegationTable;
  api_keys: ApiKeyTable;
  request_signatures: RequestSignatureTable;
  sessions: SessionTable;
  refresh_tokens: RefreshTokenTable;
  tasks: TaskTable;
  task_assignees: TaskAssigneeTable;
  task_dependencies: TaskDependencyTable;
  task_capabilities: TaskCapabilityTable;
  messages: MessageTable;
  message_reactions: MessageReactionTable;
  documents: DocumentTable;
  document_templates: DocumentTemplateTable;
  document_shares: DocumentShareTable;
  document_versions: DocumentVersionTable;
  events: EventTable;
  notifications: NotificationTable;
  instance_secrets: InstanceSecretTable;
  working_state_versions: WorkingStateVersionTable;
  idempotency_keys: IdempotencyKeyTable;
  agent_runtimes: AgentRuntimeTable;
  agent_runs: AgentRunTable;
  agent_run_steps: AgentRunStepTable;
  budgets: BudgetTable;
  workspace_runtime_settings: WorkspaceRuntimeSettingsTable;
  agent_chat_messages: AgentChatMessageTable;
  runners: RunnerTable;
  runner_agents: RunnerAgentTable;
  webhook_endpoints: WebhookEndpointTable;
  outbound_deliveries: OutboundDeliveryTable;
  outbound_attempts: OutboundAttemptTable;
  event_cursors: EventCursorTable;
  notification_preferences: NotificationPreferenceTable;
  notification_channels: NotificationChannelTable;
  notification_digest_items: NotificationDigestItemTable;
  inbound_hooks: InboundHookTable;
  audit_entries: AuditEntryTable;
  monitoring_settings: MonitoringSettingsTable;
  alerts: AlertTable;
  alert_settings: AlertSettingsTable;
  system_samples: SystemSampleTable;
  board_move_slots: BoardMoveSlotTable;
  marketplace_listings: MarketplaceListingTable;
  marketplace_listing_versions: MarketplaceListingVersionTable;
  marketplace_installations: MarketplaceInstallationTable;
  marketplace_reviews: MarketplaceReviewTable;
  marketplace_review_reports: MarketplaceReviewReportTable;
  marketplace_settings: MarketplaceSettingsTable;
  credit_accounts: CreditAccountTable;
  credit_transactions: CreditTransactionTable;
  credit_entries: CreditEntryTable;
  marketplace_entitlements: MarketplaceEntitlementTable;
  marketplace_rentals: MarketplaceRentalTable;
  marketplace_disputes: MarketplaceDisputeTable;
  marketplace_subscriptions: MarketplaceSubscriptionTable;
  marketplace_payout_accounts: MarketplacePayoutAccountTable;
  marketplace_payouts: MarketplacePayoutTable;
  health_samples: HealthSampleTable;
  mfa_totp_factors: MfaTotpFactorTable;
  mfa_recovery_codes: MfaRecoveryCodeTable;
  mfa_challenges: MfaChallengeTable;
  workflows: WorkflowTable;
  workflow_versions: WorkflowVersionTable;
  workflow_runs: WorkflowRunTable;
  workflow_steps: WorkflowStepTable;
  workflow_feed_cursors: WorkflowFeedCursorTable;
  approvals: ApprovalTable;
  routines: RoutineTable;
  triggers: TriggerTable;
  github_connections: GithubConnectionTable;
  github_issue_links: GithubIssueLinkTable;
  github_pull_requests: GithubPullRequestTable;
  github_comment_marks: GithubCommentMarkTable;
  agent_memories: AgentMemoryTable;
  agent_memory_shares: AgentMemoryShareTable;
  memory_summary_claims: MemorySummaryClaimTable;
  search_entries: SearchEntryTable;
  task_outcomes: TaskOutcomeTable;
  task_outcome_capabilities: TaskOutcomeCapabilityTable;
  skills: SkillTable;
  skill_versions: SkillVersionTable;
  skill_capabilities: SkillCapabilityTable;
  skill_uses: SkillUseTable;
  user_identities: UserIdentityTable;
  oidc_sign_ins: OidcSignInTable;
  retention_settings: RetentionSettingsTable;
}

export interface GithubConnectionTable {
  id: string;
  workspace_id: string;
  owner: string;
  repo: string;
  label: string;
  capability_mapping: Json;
  assignee_mapping: Json;
  /** Sealed with the instance secret (core/secret-box.ts), like the webhook secret. */
  token: string;
  webhook_secret: string;
  disabled_at: Timestamp | null;
  cursor_seq: number;
  issues_etag: string | null;
  comments_etag: string | null;
  comments_since: string | null;
  last_polled_at: Timestamp | null;
  last_changed_at: Timestamp | null;
  last_error: string | null;
  lease_holder: string | null;
  lease_expires_at: Timestamp | null;
  created_by_kind: PrincipalKind;
  created_by_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GithubIssueLinkTable {
  id: string;
  workspace_id: string;
  connection_id: string;
  issue_number: number;
  task_id: string;
  url: string;
  /** The issue's state as last seen or set by this server: a poll acts on a change of it. */
  issue_state: Generated<GithubIssueState>;
  created_at: Timestamp;
}

export type GithubIssueState = 'open' | 'closed';

export type GithubPullRequestState = 'open' | 'merged' | 'closed';

export interface GithubPullRequestTable {
  id: string;
  workspace_id: string;
  connection_id: string;
  task_id: string;
  number: number;
  branch: string;
  url: string;
  state: GithubPullRequestState;
  etag: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GithubCommentMarkTable {
  connection_id: string;
  comment_id: number;
  workspace_id: string;
  direction: 'sent' | 'received';
  created_at: Timestamp;
}

export interface AgentMemoryTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  content: string;
  kind: 'fact' | 'preference' | 'lesson' | 'summary';
  tags: Json;
  task_id: string | null;
  importance: number;
  shared_with_workspace_at: Timestamp | null;
  embedding_model: string | null;
  /** float32 bytes on SQLite (read by sqlite-vec), real[] on PostgreSQL; null without an embedding model. */
  embedding: Uint8Array | number[] | null;
  created_at: Timestamp;
}

export interface AgentMemoryShareTable {
  memory_id: string;
  agent_id: string;
  workspace_id: string;
  shared_at: Timestamp;
}

/** Which instance may call an agent's model to summarise its memories, until when (ms since the epoch). */
export interface MemorySummaryClaimTable {
  workspace_id: string;
  agent_id: string;
  claim_token: string;
  claimed_until: ColumnType<number | string, number, number>;
}

/**
 * Tables written only by triggers on other tables, never by the application: a backup leaves
 * them out and a restore empties them for the triggers to refill. A new trigger-maintained table
 * is added here.
 */
export const triggerMaintainedTables: readonly string[] = ['search_entries', 'search_entries_rows', 'board_move_slots'];

/** The one search index (on SQLite the rows are in search_entries_rows and FTS5 indexes them). Written only by triggers. */
export interface SearchEntryTable {
  entity_type: 'task' | 'message' | 'document' | 'skill' | 'memory';
  entity_id: string;
  workspace_id: string;
  task_id: string | null;
  agent_id: string | null;
  title: string;
  body: string;
  updated_at: Timestamp;
}

/** One instance's reading of itself (migration 0027): raw every 10 s, or a 5-minute average. Numbers as the drivers give them. */
export interface SystemSampleTable {
  instance_id: string;
  resolution_seconds: number;
  /** Milliseconds since the epoch (a string from PostgreSQL's bigint). */
  sampled_at: number | string;
  hostname: string;
  cpu_percent: number;
  rss_bytes: number;
  heap_used_bytes: number;
  heap_total_bytes: number;
  disk_free_bytes: number | null;
  disk_total_bytes: number | null;
  event_loop_delay_ms: number;
  event_loop_delay_p99_ms: number;
  websocket_clients: number;
  db_pool_total: number | null;
  db_pool_idle: number | null;
  db_pool_waiting: number | null;
}

/** One instance's once-a-minute probe of itself, for the status page (migration 0027). 1 up, 0 down, null not configured. */
export interface HealthSampleTable {
  instance_id: string;
  sampled_at: number | string;
  api_up: number;
  api_latency_ms: number | null;
  database_up: number;
  event_stream_up: number | null;
  redis_up: number | null;
}

/** One agent's result on one task when it ended (or was sent back), written with the status change. */
export interface TaskOutcomeTable {
  id: string;
  workspace_id: string;
  task_id: string;
  agent_id: string;
  kind: 'done' | 'failed' | 'sent-back' | 'escalated';
  capabilities: Json;
  duration_ms: number | string;
  cost_micro_dollars: number | string;
  model_calls: number;
  review: 'approved' | 'changes-requested' | 'none';
  reason: string | null;
  recorded_at: Timestamp;
}

export interface TaskOutcomeCapabilityTable {
  outcome_id: string;
  workspace_id: string;
  capability: string;
}

/** A named markdown procedure; every saved state is also a row of skill_versions. */
export interface SkillTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  body: string;
  capabilities: Json;
  source_task_id: string | null;
  version: number;
  author_kind: PrincipalKind;
  author_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SkillVersionTable {
  skill_id: string;
  version: number;
  workspace_id: string;
  name: string;
  description: string;
  body: string;
  capabilities: Json;
  author_kind: PrincipalKind;
  author_id: string;
  created_at: Timestamp;
}

export interface SkillCapabilityTable {
  skill_id: string;
  workspace_id: string;
  capability: string;
}

/** An agent read a skill while working on a task; the task's outcome counts toward the skill. */
export interface SkillUseTable {
  skill_id: string;
  task_id: string;
  agent_id: string;
  workspace_id: string;
  used_at: Timestamp;
}

/** How long a workspace keeps task messages and run transcripts (migration 0035); NULL days keep them forever. */
export interface RetentionSettingsTable {
  workspace_id: string;
  messages_days: number | null;
  runs_days: number | null;
  /** The feed's copies of message text are blank before this instant (the purge's watermark). */
  messages_feed_redacted_before: Timestamp | null;
  /** The feed's copies of run text (model steps, errors) are blank before this instant. */
  runs_feed_redacted_before: Timestamp | null;
  updated_at: Timestamp;
}
