import type { Overview } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { plainIssueMessage } from '../../lib/form-errors';
import { queryKeys } from '../../lib/query-keys';
import { makeAgent, makeTask } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import { AssignDialog } from '../board/assign-dialog';
import { TaskForm } from './task-form';

describe('form errors in plain words (defect 7)', () => {
  it('says a required title is required instead of zod’s "Too small" sentence', async () => {
    renderWithApp(<TaskForm onDone={() => {}} />, {});
    await userEvent.click(screen.getByRole('button', { name: 'Create task' }));
    expect(await screen.findByText('The title is required.')).toBeTruthy();
    expect(screen.queryByText(/Too small/)).toBeNull();
  });

  it('keeps the contracts’ own messages and words the limits', () => {
    expect(plainIssueMessage({ path: ['title'], code: 'too_big', origin: 'string', maximum: 300, message: 'Too big' })).toBe(
      'The title can be at most 300 characters; shorten it.',
    );
    expect(
      plainIssueMessage({
        path: ['requiredCapabilities', 0],
        code: 'invalid_format',
        message: 'capabilities are lowercase words such as "typescript" or "web-research"',
      }),
    ).toBe('capabilities are lowercase words such as "typescript" or "web-research"');
  });
});

describe('assigning an offline agent (defect 10)', () => {
  const offline = makeAgent({ name: 'sleepy', status: 'offline' });
  const online = makeAgent({ name: 'awake', status: 'idle' });
  const asleep = makeAgent({ name: 'dozy', status: 'offline' });
  const overviewOf = (agents: { id: string; status: 'offline' | 'idle' }[]): Overview => ({
    tasksByStatus: { inbox: 1, assigned: 0, in_progress: 0, review: 0, done: 0, blocked: 0, failed: 0, cancelled: 0 },
    needsAttention: 0,
    agents: agents.map((agent) => ({
      agentId: agent.id,
      status: agent.status,
      reportedStatus: agent.status,
      currentTask: null,
      openTaskCount: 0,
      lastHeartbeatAt: null,
    })),
    activeAgents: 0,
    totalAgents: agents.length,
    messagesSince: 0,
    since: '2026-01-01T00:00:00.000Z',
    generatedAt: '2026-01-01T09:00:00.000Z',
  });
  const routesWith = (overview: Overview) => ({
    'GET /agents': () => ({ status: 200, body: { data: [offline, online, asleep], nextCursor: null } }),
    'GET /members': () => ({ status: 200, body: { data: [] } }),
    'GET /overview': () => ({ status: 200, body: overview }),
  });

  it('warns in the board’s assign dialog once an offline agent is chosen, naming every offline one', async () => {
    const overview = overviewOf([
      { id: offline.id, status: 'offline' },
      { id: online.id, status: 'idle' },
      { id: asleep.id, status: 'offline' },
    ]);
    const user = userEvent.setup();
    const view = renderWithApp(
      <AssignDialog pending={{ task: makeTask(), to: 'assigned' }} onConfirm={() => {}} onCancel={() => {}} />,
      routesWith(overview),
    );
    view.queryClient.setQueryData(queryKeys.overview, overview);
    await user.click(await screen.findByRole('checkbox', { name: /awake/ }));
    expect(screen.queryByTestId('offline-assignee-warning')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: /sleepy/ }));
    expect((await screen.findByTestId('offline-assignee-warning')).textContent).toBe(
      'sleepy is offline: it will not pick this up until it is back. Assign anyway, or choose someone who is working.',
    );
    await user.click(screen.getByRole('checkbox', { name: /dozy/ }));
    expect(screen.getByTestId('offline-assignee-warning').textContent).toContain('sleepy and dozy are offline: they will not');
    // A warning, not a refusal: the button still assigns.
    expect(screen.getByRole('button', { name: 'Assign and move' }).hasAttribute('disabled')).toBe(false);
  });

  it('warns in the new-task form when an offline agent is ticked', async () => {
    const overview = overviewOf([
      { id: offline.id, status: 'offline' },
      { id: online.id, status: 'idle' },
    ]);
    const user = userEvent.setup();
    const view = renderWithApp(<TaskForm onDone={() => {}} />, routesWith(overview));
    view.queryClient.setQueryData(queryKeys.overview, overview);
    await user.click(await screen.findByRole('checkbox', { name: 'awake' }));
    expect(screen.queryByTestId('offline-assignee-warning')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'sleepy' }));
    expect((await screen.findByTestId('offline-assignee-warning')).textContent).toContain('sleepy is offline');
    await user.click(screen.getByRole('checkbox', { name: 'sleepy' }));
    expect(screen.queryByTestId('offline-assignee-warning')).toBeNull();
  });

  it('warns that an offline agent will not pick the task up', async () => {
    const overview: Overview = {
      tasksByStatus: { inbox: 1, assigned: 0, in_progress: 0, review: 0, done: 0, blocked: 0, failed: 0, cancelled: 0 },
      needsAttention: 0,
      agents: [
        { agentId: offline.id, status: 'offline', reportedStatus: 'offline', currentTask: null, openTaskCount: 0, lastHeartbeatAt: null },
        { agentId: online.id, status: 'idle', reportedStatus: 'idle', currentTask: null, openTaskCount: 0, lastHeartbeatAt: null },
      ],
      activeAgents: 0,
      totalAgents: 2,
      messagesSince: 0,
      since: '2026-01-01T00:00:00.000Z',
      generatedAt: '2026-01-01T09:00:00.000Z',
    };
    const view = renderWithApp(<AssignDialog pending={{ task: makeTask(), to: 'assigned' }} onConfirm={() => {}} onCancel={() => {}} />, {
      'GET /agents': () => ({ status: 200, body: { data: [offline, online], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [] } }),
      'GET /overview': () => ({ status: 200, body: overview }),
    });
    view.queryClient.setQueryData(queryKeys.overview, overview);
    const warning = await screen.findByText(/Offline: it will not pick this up/);
    expect(warning.closest('label')?.textContent).toContain('sleepy');
    expect(screen.getAllByText(/Offline: it will not pick this up/)).toHaveLength(1);
  });
});

describe('the task form’s planning fields (issue 18: task form)', () => {
  const parent = makeTask({ number: 1, key: 'TASK-1', title: 'Launch the site' });
  const dependency = makeTask({ number: 2, key: 'TASK-2', title: 'Write the pricing page' });
  const unrelated = makeTask({ number: 3, key: 'TASK-3', title: 'Order stickers' });
  const routes = (extra: Record<string, RouteHandler> = {}) => ({
    'GET /agents': () => ({
      status: 200,
      body: { data: [makeAgent({ capabilities: ['web-research', 'typescript'] })], nextCursor: null },
    }),
    'GET /members': () => ({ status: 200, body: { data: [] } }),
    'GET /tasks': () => ({ status: 200, body: { data: [parent, dependency, unrelated], nextCursor: null } }),
    ...extra,
  });

  it('creating a task sends its parent, dependencies, capabilities, due time and priority', async () => {
    const user = userEvent.setup();
    const created = makeTask({ number: 4, key: 'TASK-4', title: 'Announce the launch' });
    const view = renderWithApp(<TaskForm onDone={() => {}} />, routes({ 'POST /tasks': () => ({ status: 201, body: created }) }));
    await user.type(screen.getByLabelText('Title'), 'Announce the launch');
    await user.selectOptions(screen.getByLabelText('Priority'), 'urgent');
    fireEvent.change(screen.getByLabelText('Due (your local time)'), { target: { value: '2030-03-04T15:30' } });
    expect(screen.getByText(/^Due in .+ · /)).toBeTruthy();

    // Suggestions come from the agents' capabilities.
    const capabilities = screen.getByLabelText('Required capabilities');
    await waitFor(() => expect(document.querySelectorAll('datalist option')).toHaveLength(2));
    await user.type(capabilities, 'web-research{Enter}');

    await user.type(screen.getByLabelText('Parent task'), 'launch');
    await user.click(await screen.findByRole('button', { name: 'TASK-1 Launch the site' }));
    await user.type(screen.getByLabelText('Depends on'), 'task-2');
    const matches = screen.getByRole('list', { name: 'Tasks matching “task-2”' });
    expect(within(matches).queryByText('Order stickers')).toBeNull();
    await user.click(within(matches).getByRole('button', { name: 'TASK-2 Write the pricing page' }));

    await user.click(screen.getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(view.calls.some((call) => call.method === 'POST')).toBe(true));
    const sent = view.calls.find((call) => call.method === 'POST' && call.path === '/tasks')?.body;
    expect(sent).toMatchObject({
      title: 'Announce the launch',
      priority: 'urgent',
      parentId: parent.id,
      dependencyIds: [dependency.id],
      requiredCapabilities: ['web-research'],
      dueAt: new Date('2030-03-04T15:30').toISOString(),
    });
  });

  it('editing shows the task’s parent and dependencies by key and title, its capabilities, due time and priority', async () => {
    const user = userEvent.setup();
    const dueAt = new Date('2030-03-04T09:15').toISOString();
    const task = makeTask({
      number: 5,
      key: 'TASK-5',
      priority: 'high',
      parentId: parent.id,
      dependencyIds: [dependency.id],
      requiredCapabilities: ['typescript'],
      dueAt,
    });
    const view = renderWithApp(
      <TaskForm task={task} onDone={() => {}} />,
      routes({ [`PATCH /tasks/${task.id}`]: ({ body }) => ({ status: 200, body: { ...task, ...(body as object) } }) }),
    );
    expect((screen.getByLabelText('Priority') as HTMLSelectElement).value).toBe('high');
    expect((screen.getByLabelText('Due (your local time)') as HTMLInputElement).value).toBe('2030-03-04T09:15');
    expect(screen.getByText(/^Due in .+ · /)).toBeTruthy();
    expect(screen.getByText('typescript')).toBeTruthy();
    const parentChosen = await screen.findByRole('list', { name: 'Parent task: chosen' });
    await waitFor(() => expect(parentChosen.textContent).toContain('TASK-1 Launch the site'));
    expect(screen.getByRole('list', { name: 'Depends on: chosen' }).textContent).toContain('TASK-2 Write the pricing page');

    // The task itself is never offered as its own parent.
    await user.type(screen.getByLabelText('Parent task'), 'TASK-5');
    expect(screen.getByText(/No task matches/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Remove TASK-2' }));
    await user.click(screen.getByRole('button', { name: 'Save task' }));
    await waitFor(() => expect(view.calls.some((call) => call.method === 'PATCH')).toBe(true));
    expect(view.calls.find((call) => call.method === 'PATCH')?.body).toMatchObject({
      parentId: parent.id,
      dependencyIds: [],
      requiredCapabilities: ['typescript'],
      priority: 'high',
      dueAt,
    });
  });
});
