import { type Agent, agentSchema, updateAgentSchema, type WorkspaceRole } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { makeAgent, makeSession } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { AgentA2aPanel } from './agent-a2a-panel';

function renderPanel(role: WorkspaceRole, agent: Agent, patch: (body: unknown) => { status: number; body: unknown }) {
  let stored = agent;
  const rendered = renderWithApp(<AgentA2aPanel agentId={agent.id} />, {
    [`GET /agents/${agent.id}`]: () => ({ status: 200, body: stored }),
    [`PATCH /agents/${agent.id}`]: ({ body }) => {
      const answer = patch(body);
      if (answer.status === 200) stored = agentSchema.parse(answer.body);
      return answer;
    },
  });
  act(() => rendered.services.session.set(makeSession(role)));
  return rendered;
}

const urlsOf = (agent: Agent) => {
  const endpointUrl = `${window.location.origin}/a2a/agents/${agent.id}`;
  return { endpointUrl, cardUrl: `${endpointUrl}/.well-known/agent-card.json` };
};

describe('AgentA2aPanel', () => {
  it('lets an owner publish the agent and then shows its card and endpoint URLs', async () => {
    const scout = makeAgent({ name: 'scout' });
    const view = renderPanel('owner', scout, (body) => {
      const input = updateAgentSchema.parse(body);
      return { status: 200, body: { ...scout, a2a: input.a2a ?? scout.a2a } };
    });
    const toggle = await screen.findByRole('switch', { name: "Publish this agent's card" });
    expect(screen.getByRole('heading', { name: 'Reachable over A2A' })).toBeTruthy();
    expect(toggle).toHaveProperty('checked', false);
    const { cardUrl, endpointUrl } = urlsOf(scout);
    expect(screen.queryByText(cardUrl)).toBeNull();

    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByRole('switch', { name: "Publish this agent's card" })).toHaveProperty('checked', true));
    const patches = view.calls.filter((call) => call.method === 'PATCH');
    expect(patches.map((call) => call.body)).toEqual([{ a2a: { published: true } }]);
    expect(screen.getByText(cardUrl)).toBeTruthy();
    expect(screen.getByText(endpointUrl)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    // The same bar as the browser tests (e2e/axe.ts): no serious or critical violation.
    const results = await axe.run(view.container, { rules: { 'color-contrast': { enabled: false } } });
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
  });

  it('says in words, by name, why publishing failed, and leaves the switch off', async () => {
    const scout = makeAgent({ name: 'scout' });
    renderPanel('member', scout, () => ({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'Your role cannot manage agents. Ask an owner or admin.' } },
    }));
    fireEvent.click(await screen.findByRole('switch', { name: "Publish this agent's card" }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('scout was not published: Your role cannot manage agents. Ask an owner or admin.');
    expect(alert.textContent).not.toContain(scout.id);
    expect(screen.getByRole('switch', { name: "Publish this agent's card" })).toHaveProperty('checked', false);
  });

  it('shows a viewer whether the agent is published, without the switch', async () => {
    const scout = makeAgent({ name: 'scout', a2a: { published: true } });
    const view = renderPanel('viewer', scout, () => ({ status: 500, body: {} }));
    expect(await screen.findByText('scout is published.')).toBeTruthy();
    expect(screen.queryByRole('switch')).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByText(urlsOf(scout).cardUrl)).toBeTruthy();
    expect(view.calls.some((call) => call.method === 'PATCH')).toBe(false);
  });
});
