import type { Workflow, WorkflowRun } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import WorkflowsPage from './workflows-page';

const creator = { kind: 'user' as const, id: testId() };
const definition = { name: 'pipeline', steps: [{ id: 'plan', kind: 'task' as const, task: { title: 'Plan' } }] };
const workflow: Workflow = {
  id: testId(),
  workspaceId,
  name: 'pipeline',
  description: 'Plan, build, verify',
  version: 2,
  definition,
  createdBy: creator,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
};
const run = (status: WorkflowRun['status'], minutesAgo: number): WorkflowRun => ({
  id: testId(),
  workspaceId,
  workflowId: workflow.id,
  workflowName: workflow.name,
  version: 2,
  status,
  inputs: {},
  error: null,
  parentRunId: null,
  startedBy: creator,
  startedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  finishedAt: null,
  steps: [],
});

describe('WorkflowsPage', () => {
  it('lists each workflow with its latest version, how many runs it had and how the last one went', async () => {
    renderWithApp(<WorkflowsPage />, {
      'GET /workflows': () => ({ status: 200, body: { data: [workflow] } }),
      'GET /workflow-runs': () => ({ status: 200, body: { data: [run('failed', 2), run('completed', 60)], nextCursor: null } }),
    });
    expect(await screen.findByRole('link', { name: 'pipeline' })).toBeTruthy();
    expect(screen.getByText('Version 2')).toBeTruthy();
    expect(await screen.findByText('2 runs')).toBeTruthy();
    expect(screen.getByText('Failed')).toBeTruthy();
  });

  it('creates a workflow from the template a person picks, under the name they give', async () => {
    const { calls } = renderWithApp(<WorkflowsPage />, {
      'GET /workflows': () => ({ status: 200, body: { data: [] } }),
      'GET /workflow-runs': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /workflow-templates': () => ({
        status: 200,
        body: {
          data: [
            { name: 'pipeline', description: 'Three tasks in a row', definition },
            { name: 'escalation', description: 'Escalate to a person', definition: { ...definition, name: 'escalation' } },
          ],
        },
      }),
      'POST /workflow-templates/escalation/instantiate': () => ({ status: 201, body: { ...workflow, name: 'on-call' } }),
    });
    expect(await screen.findByText('No workflows yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New from a template' }));
    fireEvent.click(await screen.findByRole('radio', { name: /escalation/ }));
    fireEvent.change(screen.getByLabelText('Name (optional)'), { target: { value: 'on-call' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create workflow' }));
    await waitFor(() => expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ name: 'on-call' }));
  });
});
