import type { Task, Workspace } from '@mission-control/contracts';
import type { InfiniteData, QueryKey } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../lib/query-keys';
import { makeActivity, makeTask, testId, workspaceId } from '../../test/fixtures';
import { createTestQueryClient } from '../../test/render-with-app';
import { applyActivity, type FeedPage } from './apply-activity';

function setup(board: Task[]) {
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(queryKeys.board, board);
  queryClient.setQueryData<InfiniteData<FeedPage>>(queryKeys.feed, {
    pages: [{ data: [makeActivity(1)], nextCursor: null }],
    pageParams: [undefined],
  });
  const invalidated: QueryKey[] = [];
  const refreshed: string[] = [];
  const actions = { invalidate: (key: QueryKey) => invalidated.push(key), refreshTask: (id: string) => refreshed.push(id) };
  return { queryClient, invalidated, refreshed, actions };
}

describe('applyActivity', () => {
  it('writes a new workspace name and WIP limits in the same call, then refreshes the workspace', () => {
    const { queryClient, invalidated, actions } = setup([]);
    const workspace: Workspace = {
      id: workspaceId,
      name: 'Acme',
      slug: 'acme',
      taskKeyPrefix: 'TASK',
      wipLimits: {},
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    queryClient.setQueryData(queryKeys.workspace, workspace);
    applyActivity(
      queryClient,
      makeActivity(2, { type: 'workspace-updated', data: { fields: ['name', 'wipLimits'], name: 'Acme Labs', wipLimits: { review: 2 } } }),
      actions,
    );
    expect(queryClient.getQueryData<Workspace>(queryKeys.workspace)).toEqual({ ...workspace, name: 'Acme Labs', wipLimits: { review: 2 } });
    expect(invalidated).toContainEqual(queryKeys.workspace);
  });

  it('moves a card in the same call, then refreshes only that task', () => {
    const task = makeTask({ status: 'assigned', assignees: [{ kind: 'agent', id: testId() }] });
    const { queryClient, refreshed, invalidated, actions } = setup([task]);
    applyActivity(
      queryClient,
      makeActivity(2, { type: 'task-status-changed', taskId: task.id, data: { key: task.key, from: 'assigned', to: 'in_progress' } }),
      actions,
    );
    expect(queryClient.getQueryData<Task[]>(queryKeys.board)?.[0]?.status).toBe('in_progress');
    expect(refreshed).toEqual([task.id]);
    expect(invalidated).not.toContainEqual(queryKeys.board);
  });

  it('keeps a blocked task on the board (for the attention strip) and takes a cancelled one off', () => {
    const task = makeTask({ status: 'in_progress', assignees: [{ kind: 'agent', id: testId() }] });
    const other = makeTask({ status: 'inbox' });
    const { queryClient, actions } = setup([task, other]);
    applyActivity(
      queryClient,
      makeActivity(2, { type: 'task-status-changed', taskId: task.id, data: { key: task.key, from: 'in_progress', to: 'blocked' } }),
      actions,
    );
    expect(queryClient.getQueryData<Task[]>(queryKeys.board)?.find((each) => each.id === task.id)?.status).toBe('blocked');
    applyActivity(
      queryClient,
      makeActivity(3, { type: 'task-status-changed', taskId: other.id, data: { key: other.key, from: 'inbox', to: 'cancelled' } }),
      actions,
    );
    expect(queryClient.getQueryData<Task[]>(queryKeys.board)?.map((each) => each.id)).toEqual([task.id]);
  });

  it('shows new assignees on the card in the same call', () => {
    const task = makeTask({ status: 'inbox', assignees: [] });
    const { queryClient, refreshed, actions } = setup([task]);
    const assignee = { kind: 'agent' as const, id: testId() };
    applyActivity(
      queryClient,
      makeActivity(2, { type: 'task-assigned', taskId: task.id, data: { key: task.key, assignees: [assignee], previousAssignees: [] } }),
      actions,
    );
    expect(queryClient.getQueryData<Task[]>(queryKeys.board)?.[0]?.assignees).toEqual([assignee]);
    expect(refreshed).toEqual([task.id]);
  });

  it('prepends to the live feed once, however often the event is applied', () => {
    const { queryClient, actions } = setup([]);
    const activity = makeActivity(7, { type: 'agent-updated', agentId: testId(), data: { fields: ['memoryContext'] } });
    applyActivity(queryClient, activity, actions);
    applyActivity(queryClient, activity, actions);
    const feed = queryClient.getQueryData<InfiniteData<FeedPage>>(queryKeys.feed);
    expect(feed?.pages[0]?.data.map((each) => each.seq)).toEqual([7, 1]);
  });

  it('refreshes the thread of the task a message was posted on', () => {
    const { queryClient, invalidated, actions } = setup([]);
    const taskId = testId();
    applyActivity(
      queryClient,
      makeActivity(3, {
        type: 'message-posted',
        taskId,
        data: { messageId: testId(), key: 'TASK-3', type: 'comment', replyToId: null, excerpt: 'On it' },
      }),
      actions,
    );
    expect(invalidated).toContainEqual(queryKeys.messages(taskId));
  });

  it('refreshes the thread when someone reacts, so the counts are live', () => {
    const { queryClient, invalidated, actions } = setup([]);
    const taskId = testId();
    applyActivity(
      queryClient,
      makeActivity(4, { type: 'reaction-added', taskId, data: { messageId: testId(), key: 'TASK-3', emoji: '👍' } }),
      actions,
    );
    expect(invalidated).toContainEqual(queryKeys.messages(taskId));
  });
});
