import type { Activity, Task, Workspace } from '@mission-control/contracts';
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { applyRunActivity } from '../runs/apply-run-activity';
import { boardStatuses } from '../tasks/tasks-api';

export interface FeedPage {
  data: Activity[];
  nextCursor: string | null;
}

/**
 * Applies one live event to the query cache. What the event itself says (a new status, new
 * assignees, a new feed line) is written at once, so the screen changes in the same frame; the
 * rest (full rows) is refreshed by invalidating the affected queries, batched by the caller.
 */
export interface CacheActions {
  /** Refetches queries under a key (batched by the caller). */
  invalidate(key: QueryKey): void;
  /** Refetches one task and writes it into the board, instead of refetching the whole board for one change. */
  refreshTask(taskId: string): void;
}

/** Task list views other than the board: filtered lists and subtasks are cheap to refetch. */
const taskListKeys: QueryKey[] = [
  ['tasks', 'list'],
  ['tasks', 'subtasks'],
];

export function applyActivity(queryClient: QueryClient, activity: Activity, { invalidate, refreshTask }: CacheActions): void {
  prependToFeed(queryClient, queryKeys.feed, activity);
  if (activity.taskId) prependToFeed(queryClient, queryKeys.taskActivities(activity.taskId), activity);
  if (activity.agentId) prependToFeed(queryClient, queryKeys.agentActivities(activity.agentId), activity);
  invalidate(queryKeys.workingState);
  // The server's numbers (tasks per status, agents' derived state, messages today) follow every event.
  invalidate(queryKeys.overview);
  invalidate(queryKeys.analyticsOverview);

  applyRunActivity(queryClient, activity, { invalidate });

  const taskId = activity.taskId;
  switch (activity.type) {
    case 'task-status-changed':
      if (taskId) {
        patchTask(queryClient, taskId, { status: activity.data.to });
        refreshTask(taskId);
      }
      for (const key of taskListKeys) invalidate(key);
      break;
    case 'task-assigned':
      if (taskId) {
        patchTask(queryClient, taskId, { assignees: activity.data.assignees });
        refreshTask(taskId);
      }
      for (const key of taskListKeys) invalidate(key);
      break;
    case 'task-deleted':
      if (taskId) queryClient.setQueryData<Task[]>(queryKeys.board, (tasks) => tasks?.filter((task) => task.id !== taskId));
      for (const key of taskListKeys) invalidate(key);
      break;
    case 'task-created':
    case 'task-updated':
      if (taskId) refreshTask(taskId);
      else invalidate(queryKeys.tasks);
      for (const key of taskListKeys) invalidate(key);
      break;
    case 'message-posted':
    case 'reaction-added':
    case 'reaction-removed':
      if (taskId) invalidate(queryKeys.messages(taskId));
      else invalidate(queryKeys.allMessages);
      break;
    case 'document-created':
    case 'document-versioned':
    case 'document-deleted':
      invalidate(queryKeys.documents);
      break;
    case 'document-shared':
    case 'document-share-revoked':
      invalidate(queryKeys.documentShares(activity.data.documentId));
      break;
    case 'attachment-added':
    case 'attachment-removed':
      if (taskId) invalidate(queryKeys.taskAttachments(taskId));
      break;
    case 'skill-created':
    case 'skill-versioned':
    case 'skill-deleted':
      invalidate(queryKeys.skills);
      break;
    case 'notification-created':
      invalidate(queryKeys.notifications);
      // An invitation to another workspace arrives as a notification in this one.
      invalidate(queryKeys.myInvitations);
      break;
    case 'agent-created':
    case 'agent-updated':
    case 'agent-deleted':
    case 'agent-status-changed':
      invalidate(queryKeys.agents);
      // The organisation counts its agents against its limit.
      if (activity.type === 'agent-created' || activity.type === 'agent-deleted') invalidate(queryKeys.organizations);
      break;
    case 'member-added':
    case 'member-updated':
    case 'member-removed':
      invalidate(queryKeys.members);
      // The custom roles' member counts follow who holds them.
      invalidate(queryKeys.roles);
      // Joining or leaving a workspace joins or leaves its organisation too.
      invalidate(queryKeys.organizations);
      break;
    case 'role-created':
    case 'role-updated':
    case 'role-deleted':
      invalidate(queryKeys.roles);
      // A renamed role shows under its new name in the members list.
      invalidate(queryKeys.members);
      break;
    case 'invitation-created':
    case 'invitation-accepted':
    case 'invitation-declined':
    case 'invitation-revoked':
      invalidate(queryKeys.sentInvitations);
      break;
    case 'workspace-updated': {
      // Another admin's rename or new limits: the shell's name and the board's column headers follow at once.
      const { name, wipLimits } = activity.data;
      queryClient.setQueryData<Workspace>(queryKeys.workspace, (workspace) => (workspace ? { ...workspace, name, wipLimits } : workspace));
      invalidate(queryKeys.workspace);
      break;
    }
    case 'organization-updated':
    case 'team-created':
    case 'team-updated':
    case 'team-deleted':
      // Another owner's limits or sign-in rules, or a team that changed: the organisation pages follow.
      invalidate(queryKeys.organizations);
      // A team's role on this workspace changes who is a member here, and as what.
      if (activity.type !== 'organization-updated') invalidate(queryKeys.members);
      break;
    case 'retention-updated':
      // Another admin changed how long messages and run transcripts are kept.
      invalidate(queryKeys.workspaceRetention);
      break;
    case 'api-key-created':
    case 'api-key-revoked':
      if (activity.agentId) invalidate(queryKeys.agentApiKeys(activity.agentId));
      break;
    default:
      break;
  }
}

function patchTask(queryClient: QueryClient, taskId: string, change: Partial<Pick<Task, 'status' | 'assignees'>>): void {
  queryClient.setQueryData<Task[]>(queryKeys.board, (tasks) => {
    if (!tasks) return tasks;
    const next = tasks.map((task) => (task.id === taskId ? { ...task, ...change } : task));
    // A cancelled task leaves the board; blocked and failed ones stay, in the attention strip.
    return next.filter((task) => boardStatuses.includes(task.status));
  });
  queryClient.setQueriesData<Task>({ queryKey: ['tasks', 'one'] }, (task) => (task && task.id === taskId ? { ...task, ...change } : task));
}

function prependToFeed(queryClient: QueryClient, key: QueryKey, activity: Activity): void {
  queryClient.setQueryData<InfiniteData<FeedPage>>(key, (feed) => {
    if (!feed || feed.pages.length === 0) return feed;
    const [first, ...rest] = feed.pages;
    if (!first || first.data.some((each) => each.seq === activity.seq)) return feed;
    return { ...feed, pages: [{ ...first, data: [activity, ...first.data] }, ...rest] };
  });
}
