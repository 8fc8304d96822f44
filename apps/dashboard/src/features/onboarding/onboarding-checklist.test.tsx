import type { Activity, Agent, SessionTokens, Task } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeActivity, makeAgent, makeTask, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { OnboardingChecklist } from './onboarding-checklist';
import { listOnboardingSteps } from './onboarding-steps';

const later = new Date(Date.now() + 3_600_000).toISOString();
const session: SessionTokens = {
  accessToken: 'access',
  accessTokenExpiresAt: later,
  refreshToken: 'refresh',
  refreshTokenExpiresAt: later,
  tokenType: 'Bearer',
  user: { id: testId(), email: 'olivia@example.com', name: 'Olivia Owner', createdAt: later },
  workspace: { id: workspaceId, name: 'Acme', slug: 'acme', taskKeyPrefix: 'TASK', wipLimits: {}, createdAt: later },
  role: 'owner',
};

function renderChecklist(data: { agents: Agent[]; tasks: Task[]; activities: Activity[] }) {
  const rendered = renderWithApp(<OnboardingChecklist />, {
    'GET /agents': () => ({ status: 200, body: { data: data.agents, nextCursor: null } }),
    'GET /tasks': () => ({ status: 200, body: { data: data.tasks, nextCursor: null } }),
    'GET /activities': () => ({ status: 200, body: { data: data.activities, nextCursor: null } }),
  });
  act(() => rendered.services.session.set(session));
  return rendered;
}

const stepStates = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map((item) => item.dataset.done);

describe('OnboardingChecklist', () => {
  beforeEach(() => window.localStorage.clear());

  it('starts with every step to do in a new workspace, links the agents page and the API reference', async () => {
    renderChecklist({ agents: [], tasks: [], activities: [] });
    const list = await screen.findByRole('list', { name: 'First steps' });
    expect(stepStates(list)).toEqual(['false', 'false', 'false', 'false']);
    expect(screen.getByRole('heading', { name: /4 steps to go/ })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to agents' }).getAttribute('href')).toBe('/agents');
    expect(screen.getByRole('link', { name: 'API reference' }).getAttribute('href')).toBe('/api/docs');
  });

  it('ticks the steps from real data: an agent, its heartbeat, a task, and a task that moved', async () => {
    const scout = makeAgent({ name: 'scout' });
    renderChecklist({ agents: [scout], tasks: [makeTask({ status: 'inbox' })], activities: [] });
    const list = await screen.findByRole('list', { name: 'First steps' });
    expect(stepStates(list)).toEqual(['true', 'false', 'true', 'false']);
    expect(within(list).getAllByText('(done)', { exact: false })).toHaveLength(2);
    expect(screen.getByRole('link', { name: 'Open scout' }).getAttribute('href')).toBe(`/agents/${scout.id}`);
  });

  it('is put away per workspace and stays away on the next visit', async () => {
    const first = renderChecklist({ agents: [], tasks: [], activities: [] });
    fireEvent.click(await screen.findByRole('button', { name: 'Hide this checklist' }));
    expect(screen.queryByTestId('onboarding-checklist')).toBeNull();
    first.unmount();
    renderChecklist({ agents: [], tasks: [], activities: [] });
    await waitFor(() => expect(screen.queryByRole('list')).toBeNull());
    expect(Object.keys(window.localStorage)).toEqual([`mission-control:onboarding-dismissed:${workspaceId}`]);
  });

  it('does not show in a workspace that had already done every step', async () => {
    const { calls } = renderChecklist({
      agents: [makeAgent({ lastHeartbeatAt: later })],
      tasks: [makeTask({ status: 'in_progress' })],
      activities: [],
    });
    await waitFor(() => expect(calls.filter((call) => call.path === '/activities')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId('onboarding-checklist')).toBeNull();
  });
});

describe('listOnboardingSteps', () => {
  it('counts an agent as connected once it acted, and a task as moved once its status changed', () => {
    const agent = makeAgent();
    const acted = makeActivity(2, {
      actor: { kind: 'agent', id: agent.id },
      type: 'task-status-changed',
      data: { key: 'TASK-1', from: 'inbox', to: 'assigned' },
    });
    expect(listOnboardingSteps([agent], [], [acted]).map((step) => step.done)).toEqual([true, true, false, true]);
  });
});
