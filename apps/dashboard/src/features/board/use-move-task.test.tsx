import type { Task } from '@mission-control/contracts';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../lib/query-keys';
import { Toaster } from '../../lib/toasts';
import { makeTask, testId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices, Providers, type RouteHandler } from '../../test/render-with-app';
import { planTaskMove } from './plan-task-move';
import { useMoveTask } from './use-move-task';

function setup(routes: Record<string, RouteHandler>, board: Task[]) {
  const fake = createFakeFetch(routes);
  const services = createTestServices(fake.fetch);
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(queryKeys.board, board);
  const hook = renderHook(() => useMoveTask(), {
    wrapper: ({ children }) => (
      <Providers services={services} queryClient={queryClient}>
        {children}
        <Toaster />
      </Providers>
    ),
  });
  const statusOf = (id: string) => queryClient.getQueryData<Task[]>(queryKeys.board)?.find((task) => task.id === id)?.status;
  return { hook, queryClient, calls: fake.calls, statusOf };
}

/** A server answer that the test releases when it wants, to look at the screen in between. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('planTaskMove', () => {
  const agent = { kind: 'agent' as const, id: testId() };

  it('asks who when an unassigned inbox task is dropped on assigned', () => {
    expect(planTaskMove(makeTask({ status: 'inbox' }), 'assigned')).toEqual({ kind: 'needs-assignee' });
  });

  it('moves an assigned task straight to in progress', () => {
    expect(planTaskMove(makeTask({ status: 'assigned', assignees: [agent] }), 'in_progress')).toEqual({ kind: 'move' });
  });

  it('refuses a move the contract forbids, with the reason', () => {
    const plan = planTaskMove(makeTask({ status: 'inbox', key: 'TASK-9' }), 'done');
    expect(plan).toEqual({ kind: 'invalid', message: 'TASK-9 cannot move from Inbox to Done.' });
  });

  it('does nothing when dropped on its own column', () => {
    expect(planTaskMove(makeTask({ status: 'review', assignees: [agent] }), 'review')).toEqual({ kind: 'unchanged' });
  });
});

describe('useMoveTask', () => {
  it('moves the card at once and keeps it where the server put it', async () => {
    const agent = { kind: 'agent' as const, id: testId() };
    const task = makeTask({ status: 'assigned', assignees: [agent] });
    const answer = deferred<{ status: number; body: unknown }>();
    const { hook, statusOf, calls } = setup(
      {
        [`POST /tasks/${task.id}/status`]: () => answer.promise,
        'GET /tasks': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      },
      [task],
    );

    act(() => hook.result.current.mutate({ task, to: 'in_progress' }));
    await waitFor(() => expect(statusOf(task.id)).toBe('in_progress'));
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      { method: 'POST', path: `/tasks/${task.id}/status`, body: { status: 'in_progress' } },
    ]);

    answer.resolve({ status: 200, body: { ...task, status: 'in_progress' } });
    await waitFor(() => expect(hook.result.current.error ?? hook.result.current.status).toBe('success'));
    expect(statusOf(task.id)).toBe('in_progress');
  });

  it('puts the card back and shows why when the server refuses', async () => {
    const agent = { kind: 'agent' as const, id: testId() };
    const task = makeTask({ status: 'in_progress', assignees: [agent], key: 'TASK-5' });
    const answer = deferred<{ status: number; body: unknown }>();
    const { hook, statusOf } = setup(
      {
        [`POST /tasks/${task.id}/status`]: () => answer.promise,
        'GET /tasks': () => ({ status: 200, body: { data: [task], nextCursor: null } }),
      },
      [task],
    );

    act(() => hook.result.current.mutate({ task, to: 'done' }));
    await waitFor(() => expect(statusOf(task.id)).toBe('done'));

    answer.resolve({
      status: 409,
      body: { error: { code: 'TASK_INVALID_TRANSITION', message: 'TASK-5 depends on TASK-2, which is not done.' } },
    });
    await waitFor(() => expect(hook.result.current.isError).toBe(true));
    expect(statusOf(task.id)).toBe('in_progress');
    expect(await screen.findByText('TASK-5 was not moved: TASK-5 depends on TASK-2, which is not done.')).toBeTruthy();
  });

  it('assigns first, then moves, when the drop needed an assignee', async () => {
    const agent = { kind: 'agent' as const, id: testId() };
    const task = makeTask({ status: 'inbox' });
    const { hook, statusOf, calls } = setup(
      {
        [`POST /tasks/${task.id}/assign`]: ({ body }) => ({
          status: 200,
          body: { ...task, status: 'assigned', assignees: (body as { assignees: unknown[] }).assignees },
        }),
        'GET /tasks': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      },
      [task],
    );
    act(() => hook.result.current.mutate({ task, to: 'assigned', assignees: [agent] }));
    await waitFor(() => expect(hook.result.current.error ?? hook.result.current.status).toBe('success'));
    expect(statusOf(task.id)).toBe('assigned');
    // The assign endpoint already moves an inbox task to assigned: no second request.
    expect(calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual([`/tasks/${task.id}/assign`]);
  });
});
