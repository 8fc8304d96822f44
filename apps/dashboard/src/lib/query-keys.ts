import type { DocumentType, RunStatus, TaskPriority, TaskStatus } from '@mission-control/contracts';

export interface TaskFilters {
  q?: string | undefined;
  status?: TaskStatus[] | undefined;
  priority?: TaskPriority[] | undefined;
  assigneeId?: string | undefined;
}

export interface RunFilters {
  taskId?: string | undefined;
  agentId?: string | undefined;
  status?: RunStatus | undefined;
}

export interface DocumentFilters {
  q?: string | undefined;
  type?: DocumentType | undefined;
  taskId?: string | undefined;
}

/** Every cache key in one place, so live events can find what to update. */
export const queryKeys = {
  me: ['me'] as const,
  workspace: ['workspace'] as const,
  workspaceRuntimeSettings: ['workspace-runtime-settings'] as const,
  workspaceRetention: ['workspace-retention'] as const,
  members: ['members'] as const,
  roles: ['roles'] as const,
  permissions: ['permissions'] as const,
  sentInvitations: ['invitations', 'sent'] as const,
  /** Every workspace the person belongs to, in any organisation. */
  myWorkspaces: ['workspaces', 'mine'] as const,
  /** The person's organisations; everything organisational sits under this prefix. */
  organizations: ['organizations'] as const,
  organizationMembers: (organizationId: string) => ['organizations', 'members', organizationId] as const,
  teams: (organizationId: string) => ['organizations', 'teams', organizationId] as const,
  agents: ['agents'] as const,
  agent: (id: string) => ['agents', 'one', id] as const,
  agentApiKeys: (id: string) => ['agents', 'api-keys', id] as const,
  myApiKeys: ['auth', 'api-keys'] as const,
  agentMemories: (id: string) => ['memories', 'list', id] as const,
  agentMemorySearch: (id: string, q: string) => ['memories', 'search', id, q] as const,
  tasks: ['tasks'] as const,
  board: ['tasks', 'board'] as const,
  taskList: (filters: TaskFilters) => ['tasks', 'list', filters] as const,
  task: (reference: string) => ['tasks', 'one', reference] as const,
  taskAttachments: (taskId: string) => ['tasks', 'attachments', taskId] as const,
  attachmentContent: (attachmentId: string) => ['attachments', 'content', attachmentId] as const,
  subtasks: (taskId: string) => ['tasks', 'subtasks', taskId] as const,
  activities: ['activities'] as const,
  feed: ['activities', 'feed'] as const,
  taskActivities: (taskId: string) => ['activities', 'task', taskId] as const,
  agentActivities: (agentId: string) => ['activities', 'agent', agentId] as const,
  messages: (taskId: string) => ['messages', taskId] as const,
  allMessages: ['messages'] as const,
  skills: ['skills'] as const,
  skillList: (filters: { q?: string | undefined; capability?: string | undefined }) => ['skills', 'list', filters] as const,
  skill: (id: string) => ['skills', 'one', id] as const,
  skillVersions: (id: string) => ['skills', 'versions', id] as const,
  agentSkills: (agentId: string) => ['skills', 'agent', agentId] as const,
  documents: ['documents'] as const,
  documentList: (filters: DocumentFilters) => ['documents', 'list', filters] as const,
  document: (id: string) => ['documents', 'one', id] as const,
  documentVersions: (id: string) => ['documents', 'versions', id] as const,
  documentVersion: (id: string, version: number) => ['documents', 'version', id, version] as const,
  documentShares: (id: string) => ['documents', 'shares', id] as const,
  documentTemplates: ['document-templates'] as const,
  notifications: ['notifications'] as const,
  myInvitations: ['invitations', 'mine'] as const,
  invitationLink: (token: string) => ['invitations', 'link', token] as const,
  runs: ['runs'] as const,
  runLists: ['runs', 'list'] as const,
  runList: (filters: RunFilters) => ['runs', 'list', filters] as const,
  run: (id: string) => ['runs', 'one', id] as const,
  runners: ['runners'] as const,
  runnerList: (agentId: string | undefined) => ['runners', 'list', agentId ?? 'all'] as const,
  workingState: ['working-state'] as const,
  workingStateVersions: ['working-state', 'versions'] as const,
  workingStateVersion: (version: number) => ['working-state', 'version', version] as const,
  overview: ['overview'] as const,
  analyticsOverview: ['analytics', 'overview'] as const,
  search: (q: string, types: string) => ['search', q, types] as const,
  auditLog: (action: string | undefined) => ['audit-log', action ?? 'all'] as const,
  authProviders: ['identity', 'providers'] as const,
  mfaStatus: ['identity', 'mfa-status'] as const,
  workflows: ['workflows'] as const,
  workflow: (id: string) => ['workflows', 'one', id] as const,
  workflowVersions: (id: string) => ['workflows', 'versions', id] as const,
  allWorkflowStats: ['workflows', 'stats'] as const,
  workflowStats: (id: string) => ['workflows', 'stats', id] as const,
  workflowTemplates: ['workflow-templates'] as const,
  workflowRuns: ['workflow-runs'] as const,
  workflowRunList: (workflowId: string | undefined) => ['workflow-runs', 'list', workflowId ?? 'all'] as const,
  workflowRun: (id: string) => ['workflow-runs', 'one', id] as const,
  workflowRunTimeline: (id: string) => ['workflow-runs', 'timeline', id] as const,
  approvals: ['approvals'] as const,
  approvalList: (status: string) => ['approvals', 'list', status] as const,
  alerts: ['alerts'] as const,
  alertList: (status: string, kind: string) => ['alerts', 'list', status, kind] as const,
  alertSettings: ['alert-settings'] as const,
  recommendations: ['recommendations'] as const,
  /** The marketplace: listings, their versions and reviews, this workspace's installations, moderation. */
  marketplace: ['marketplace'] as const,
  marketplaceSearch: (query: Record<string, unknown>) => ['marketplace', 'search', query] as const,
  myListings: ['marketplace', 'mine'] as const,
  listing: (id: string) => ['marketplace', 'listing', id] as const,
  listingVersion: (id: string, version: string) => ['marketplace', 'version', id, version] as const,
  listingReviews: (id: string) => ['marketplace', 'reviews', id] as const,
  installations: ['marketplace', 'installations'] as const,
  installationList: (status: string) => ['marketplace', 'installations', status] as const,
  upgradePreview: (installationId: string, version: string) => ['marketplace', 'upgrade-preview', installationId, version] as const,
  moderationQueues: ['marketplace', 'moderation', 'queue'] as const,
  moderationQueue: (status: string) => ['marketplace', 'moderation', 'queue', status] as const,
  blockedWords: ['marketplace', 'moderation', 'blocked-words'] as const,
  earnings: ['marketplace', 'earnings'] as const,
  /** The workspace's subscriptions, monthly and paid by use; under the marketplace, so refreshing it refreshes them. */
  subscriptions: ['marketplace', 'subscriptions'] as const,
  subscriptionList: (status: string) => ['marketplace', 'subscriptions', status] as const,
  /** Credits of the workspace: its balance and history, and whether the person is a server administrator. */
  credits: ['credits'] as const,
  creditBalance: ['credits', 'balance'] as const,
  creditTransactions: (kind: string) => ['credits', 'transactions', kind] as const,
  creditPurchases: ['credits', 'purchases'] as const,
  serverAdmin: ['server-admin'] as const,
  routines: ['routines'] as const,
  triggers: ['triggers'] as const,
};
