// biome-ignore-all lint/suspicious/noThenProperty: `then` is the trigger's action in the contract
import type { Routine, Trigger, Workflow } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import RoutinesPage from './routines-page';
import TriggersPage from './triggers-page';

const creator = { kind: 'user' as const, id: testId() };
const workflow: Workflow = {
  id: testId(),
  workspaceId,
  name: 'daily-standup',
  description: '',
  version: 1,
  definition: { name: 'daily-standup', steps: [{ id: 'summary', kind: 'task', task: { title: 'Standup' } }] },
  createdBy: creator,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
};
const nextRunAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
const routine: Routine = {
  id: testId(),
  workspaceId,
  name: 'Morning standup',
  schedule: '0 9 * * 1-5',
  timezone: 'Europe/Paris',
  workflowId: workflow.id,
  task: null,
  inputs: {},
  abSplit: null,
  enabled: true,
  nextRunAt,
  lastRunAt: null,
  createdBy: creator,
  createdAt: workflow.createdAt,
  updatedAt: workflow.createdAt,
};

describe('RoutinesPage', () => {
  it('shows what a routine runs by name with its next run in relative and local time, runs it now and disables it', async () => {
    const { calls } = renderWithApp(<RoutinesPage />, {
      'GET /routines': () => ({ status: 200, body: { data: [routine] } }),
      'GET /workflows': () => ({ status: 200, body: { data: [workflow] } }),
      [`POST /routines/${routine.id}/trigger`]: () => ({ status: 201, body: { routine, workflowRunId: testId(), taskId: null } }),
      [`PATCH /routines/${routine.id}`]: ({ body }) => ({ status: 200, body: { ...routine, ...(body as object) } }),
    });
    expect(await screen.findByText('daily-standup')).toBeTruthy();
    expect(screen.getByText(/in 3 hr/)).toBeTruthy();
    expect(
      screen.getByText(new RegExp(new Date(nextRunAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }))),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Trigger now' }));
    fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(calls.filter((call) => call.method !== 'GET').map((call) => `${call.method} ${call.path}`)).toHaveLength(2));
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ enabled: false });
  });

  it('creates a routine that runs a workflow, and shows the server’s words when it refuses the schedule', async () => {
    const { calls } = renderWithApp(<RoutinesPage />, {
      'GET /routines': () => ({ status: 200, body: { data: [] } }),
      'GET /workflows': () => ({ status: 200, body: { data: [workflow] } }),
      'POST /routines': () => ({
        status: 400,
        body: { error: { code: 'ROUTINE_SCHEDULE_INVALID', message: 'The schedule "every day" is not cron: use five fields.' } },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'New routine' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Daily' } });
    fireEvent.change(screen.getByLabelText(/^Schedule \(cron\)/), { target: { value: 'every day' } });
    fireEvent.change(screen.getByLabelText('Inputs (JSON or YAML, optional)'), { target: { value: 'topic: cats' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create routine' }));
    expect(await screen.findByText('The schedule "every day" is not cron: use five fields.')).toBeTruthy();
    expect(calls.find((call) => call.method === 'POST')?.body).toMatchObject({
      name: 'Daily',
      schedule: 'every day',
      workflowId: workflow.id,
      inputs: { topic: 'cats' },
      enabled: true,
    });
  });
});

describe('TriggersPage', () => {
  it('says what a trigger listens to and does in words', async () => {
    const trigger: Trigger = {
      id: testId(),
      workspaceId,
      name: 'Standup when done',
      on: 'task-status-changed',
      if: "event.data.to == 'done'",
      then: { startWorkflow: { workflow: 'daily-standup' } },
      enabled: false,
      maxDepth: 3,
      firedCount: 2,
      createdBy: creator,
      createdAt: workflow.createdAt,
      updatedAt: workflow.createdAt,
    };
    renderWithApp(<TriggersPage />, { 'GET /triggers': () => ({ status: 200, body: { data: [trigger] } }) });
    expect(await screen.findByText('task status changed')).toBeTruthy();
    expect(screen.getByText(/it starts the workflow daily-standup/)).toBeTruthy();
    expect(screen.getByText(/Fired 2 times/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enable' })).toBeTruthy();
  });
});
