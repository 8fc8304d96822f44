import type { Approval, WorkflowRun, WorkflowVersion } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeMember, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import ApprovalsPage from './approvals-page';

const owner = makeMember('Ada Owner', 'ada@example.com');
const workflowId = testId();
const run: WorkflowRun = {
  id: testId(),
  workspaceId,
  workflowId,
  workflowName: 'launch-review',
  version: 2,
  status: 'waiting',
  inputs: {},
  error: null,
  parentRunId: null,
  startedBy: { kind: 'user', id: owner.user.id },
  startedAt: new Date(Date.now() - 120_000).toISOString(),
  finishedAt: null,
  steps: [],
};
const version: WorkflowVersion = {
  workflowId,
  version: 2,
  definition: { name: 'launch-review', steps: [{ id: 'approve', kind: 'approval', name: 'Sign off the launch' }] },
  createdAt: run.startedAt,
};
const approval: Approval = {
  id: testId(),
  workspaceId,
  status: 'pending',
  title: 'Approve the launch',
  source: { kind: 'workflow-step', workflowRunId: run.id, stepId: 'approve' },
  approverRoles: ['owner', 'admin'],
  requestedBy: { kind: 'user', id: owner.user.id },
  decidedBy: null,
  comment: null,
  createdAt: run.startedAt,
  expiresAt: null,
  decidedAt: null,
};

describe('ApprovalsPage', () => {
  it('says where a gate comes from by workflow and step name, and approves it with a comment', async () => {
    let pending = [approval];
    const { calls } = renderWithApp(<ApprovalsPage />, {
      'GET /approvals': () => ({ status: 200, body: { data: pending } }),
      [`GET /workflow-runs/${run.id}`]: () => ({ status: 200, body: run }),
      [`GET /workflows/${workflowId}/versions`]: () => ({ status: 200, body: { data: [version] } }),
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [owner] } }),
      [`POST /approvals/${approval.id}/approve`]: () => {
        pending = [];
        return { status: 200, body: { ...approval, status: 'approved', comment: 'Ship it' } };
      },
    });
    expect(await screen.findByText('Sign off the launch')).toBeTruthy();
    expect(screen.getByText('the launch-review run')).toBeTruthy();
    expect(await screen.findByText(/by Ada Owner/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Comment (optional)'), { target: { value: 'Ship it' } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Nothing waiting for you')).toBeTruthy();
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ comment: 'Ship it' });
    expect(calls.find((call) => call.path === '/approvals')).toBeTruthy();
  });

  it('shows what an agent proposes in words', async () => {
    renderWithApp(<ApprovalsPage />, {
      'GET /approvals': () => ({
        status: 200,
        body: {
          data: [
            {
              ...approval,
              title: 'New agent: scout',
              source: { kind: 'agent-proposal', proposal: { name: 'scout', role: 'researcher', capabilities: ['web', 'notes'] } },
            },
          ],
        },
      }),
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [owner] } }),
    });
    expect(await screen.findByText('An agent proposes a new agent:')).toBeTruthy();
    expect(screen.getByText('web, notes')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('researcher')).toBeTruthy());
  });
});
