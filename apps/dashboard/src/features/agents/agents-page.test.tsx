import { type Agent, agentSchema, registerAgentSchema, type WorkspaceRole } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { makeAgent, makeSession } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import AgentsPage from './agents-page';

const cardUrl = 'https://agents.example.com/a2a/agents/translator/.well-known/agent-card.json';

/** The agents page over a squad that grows with each agent the POST answers. */
function renderPage(role: WorkspaceRole, create: RouteHandler) {
  const squad: Agent[] = [makeAgent({ name: 'scout' })];
  const rendered = renderWithApp(<AgentsPage />, {
    'GET /agents': () => ({ status: 200, body: { data: squad, nextCursor: null } }),
    'POST /agents': async (request) => {
      const answer = await create(request);
      if (!(answer instanceof Response) && answer.status === 201) squad.push(agentSchema.parse(answer.body));
      return answer;
    },
  });
  act(() => rendered.services.session.set(makeSession(role)));
  return rendered;
}

const remoteForm = () => within(screen.getByRole('region', { name: 'Add a remote agent' }));

describe('AgentsPage: adding a remote agent', () => {
  it('sends the card URL alone, says by name who joined, clears the form and lists the agent as remote', async () => {
    const view = renderPage('member', () => ({
      status: 201,
      body: makeAgent({ name: 'translator', role: 'Translates documents', kind: 'remote', capabilities: ['translation'] }),
    }));
    expect(await screen.findByRole('cell', { name: 'scout' })).toBeTruthy();
    const form = remoteForm();
    const url = form.getByLabelText('Card URL');
    expect(url.getAttribute('type')).toBe('url');
    expect(form.getByLabelText('API key (optional)').getAttribute('type')).toBe('password');
    expect(form.getByLabelText('API key (optional)').getAttribute('autocomplete')).toBe('off');

    fireEvent.change(url, { target: { value: cardUrl } });
    fireEvent.click(form.getByRole('button', { name: 'Add remote agent' }));

    await waitFor(() => expect(form.getByRole('status').textContent).toBe('translator joined the squad as a remote agent'));
    const posts = view.calls.filter((call) => call.method === 'POST' && call.path === '/agents');
    // Name and key left out, not sent empty: the server takes the name from the card.
    expect(posts.map((call) => call.body)).toEqual([{ kind: 'remote', a2a: { cardUrl } }]);
    expect(registerAgentSchema.safeParse(posts[0]?.body).success).toBe(true);
    expect(form.getByLabelText('Card URL')).toHaveProperty('value', '');
    expect(form.queryByRole('alert')).toBeNull();

    const row = (await screen.findByRole('cell', { name: 'translator' })).closest('tr');
    if (!row) throw new Error('The new agent has no row in the list.');
    expect(within(row).getByText('remote')).toBeTruthy();
    expect(row.textContent).toContain('none, reached over A2A');

    // The same bar as the browser tests (e2e/axe.ts): no serious or critical violation.
    const results = await axe.run(view.container, { rules: { 'color-contrast': { enabled: false } } });
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
  });

  it('sends the API key and the name when they are given, and names the agent the server answered', async () => {
    const view = renderPage('owner', ({ body }) => {
      const input = registerAgentSchema.parse(body);
      return { status: 201, body: makeAgent({ name: input.name ?? 'unnamed', kind: 'remote' }) };
    });
    const form = remoteForm();
    fireEvent.change(form.getByLabelText('Card URL'), { target: { value: ` ${cardUrl} ` } });
    fireEvent.change(form.getByLabelText('API key (optional)'), { target: { value: 'mc_remote_secret' } });
    fireEvent.change(form.getByLabelText("Name (optional, defaults to the card's)"), { target: { value: 'faraway' } });
    fireEvent.click(form.getByRole('button', { name: 'Add remote agent' }));

    await waitFor(() => expect(form.getByRole('status').textContent).toBe('faraway joined the squad as a remote agent'));
    expect(view.calls.filter((call) => call.method === 'POST').map((call) => call.body)).toEqual([
      { kind: 'remote', a2a: { cardUrl, apiKey: 'mc_remote_secret' }, name: 'faraway' },
    ]);
    expect(form.getByLabelText('API key (optional)')).toHaveProperty('value', '');
    expect(form.getByLabelText("Name (optional, defaults to the card's)")).toHaveProperty('value', '');
  });

  it("shows the server's reason in an alert when the URL is not an agent card, and keeps what was typed", async () => {
    const message = `The card at ${cardUrl} answered HTTP 404. Check the URL (it ends in /.well-known/agent-card.json).`;
    const view = renderPage('admin', () => ({ status: 422, body: { error: { code: 'A2A_CARD_UNREADABLE', message } } }));
    const form = remoteForm();
    fireEvent.change(form.getByLabelText('Card URL'), { target: { value: cardUrl } });
    fireEvent.click(form.getByRole('button', { name: 'Add remote agent' }));

    expect((await form.findByRole('alert')).textContent).toBe(message);
    expect(view.calls.filter((call) => call.method === 'POST').map((call) => call.body)).toEqual([{ kind: 'remote', a2a: { cardUrl } }]);
    expect(form.getByRole('status').textContent).toBe('');
    expect(form.getByLabelText('Card URL')).toHaveProperty('value', cardUrl);
  });

  it('says what is wrong with a URL that is not http(s) before asking the server', async () => {
    const view = renderPage('owner', () => ({ status: 500 }));
    const form = remoteForm();
    fireEvent.change(form.getByLabelText('Card URL'), { target: { value: 'ftp://agents.example.com/card.json' } });
    fireEvent.click(form.getByRole('button', { name: 'Add remote agent' }));

    expect(await form.findByText('cardUrl must be an http:// or https:// URL')).toBeTruthy();
    expect(form.getByLabelText('Card URL').getAttribute('aria-invalid')).toBe('true');
    expect(view.calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('is not offered to a viewer, who cannot add agents', async () => {
    renderPage('viewer', () => ({ status: 500 }));
    expect(await screen.findByRole('cell', { name: 'scout' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Add a remote agent' })).toBeNull();
  });
});
