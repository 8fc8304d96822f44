import type { Organization, Team, Workspace } from '@mission-control/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import {
  createFakeOrganizations,
  makeOrganization,
  makeOrganizationMember,
  organizationId,
  testWorkspace,
} from '../../test/fake-organizations';
import { makeAgent, makeSession, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import TeamsPage from './teams-page';

const research: Workspace = { ...testWorkspace, id: testId(), name: 'Research', slug: 'research' };
// Another organisation's workspace the person belongs to: a team of this one cannot be given it.
const elsewhere: Workspace = { ...testWorkspace, id: testId(), name: 'Side project', slug: 'side', organizationId: testId() };
const scout = makeAgent({ name: 'scout', role: 'researcher' });
const nova = makeOrganizationMember('Nova Newcomer', 'nova@example.com');

function renderPage(options: { organization?: Organization; teams?: Team[] } = {}) {
  const fake = createFakeOrganizations({
    ...options,
    members: [nova],
    workspaces: [testWorkspace, research, elsewhere],
    others: { 'GET /agents': () => ({ status: 200, body: { data: [scout], nextCursor: null } }) },
  });
  const view = renderWithApp(
    <>
      <TeamsPage />
      <Toaster />
    </>,
    fake.routes,
  );
  act(() => view.services.session.set(makeSession('member', testWorkspace)));
  return { ...view, fake };
}

async function expectNoSeriousViolations(container: HTMLElement) {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
}

const changes = (calls: Array<{ method: string; path: string; body: unknown }>) =>
  calls.filter((call) => call.method !== 'GET').map(({ method, path, body }) => [method, path.replace(organizationId, 'ORG'), body]);

const cardOf = async (name: string) => {
  const card = (await screen.findByRole('heading', { name, level: 3 })).closest('li');
  if (!card) throw new Error(`No team card for ${name}`);
  return within(card);
};

describe('the teams page', () => {
  it('lets an organisation admin create a team, add a person and an agent, give it a workspace and delete it', async () => {
    // An admin of the organisation, though only a member of this workspace: the organisation role decides.
    const view = renderPage({ organization: makeOrganization({ role: 'admin' }) });
    await screen.findByText('No teams yet');
    fireEvent.click(screen.getByRole('button', { name: '+ New team' }));
    const form = within(screen.getByRole('form', { name: 'New team' }));
    fireEvent.click(form.getByRole('button', { name: 'Create team' }));
    expect(await form.findByText('Give the team a name.')).toBeTruthy();
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'Platform' } });
    fireEvent.change(form.getByLabelText('Description (optional)'), { target: { value: 'Keeps the lights on.' } });
    fireEvent.click(form.getByRole('button', { name: 'Create team' }));
    await screen.findByText('Created the team Platform.');

    const card = await cardOf('Platform');
    const picker = card.getByLabelText('Person or agent to add to Platform') as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((option) => option.textContent)).toContain('scout (agent, researcher)'));
    expect([...picker.options].map((option) => option.textContent)).toEqual([
      'Choose…',
      'Nova Newcomer (nova@example.com)',
      'scout (agent, researcher)',
    ]);
    fireEvent.change(picker, { target: { value: `user:${nova.userId}` } });
    fireEvent.click(card.getByRole('button', { name: 'Add to team' }));
    await screen.findByText('Added Nova Newcomer to Platform.');
    fireEvent.change(picker, { target: { value: `agent:${scout.id}` } });
    fireEvent.click(card.getByRole('button', { name: 'Add to team' }));
    await screen.findByText('Added scout to Platform.');
    expect(within(card.getAllByTestId('team-member')[1] as HTMLElement).getByText('agent')).toBeTruthy();

    const workspaces = card.getByLabelText('Workspace for Platform') as HTMLSelectElement;
    await waitFor(() => expect([...workspaces.options].map((option) => option.textContent)).toEqual(['Choose…', 'Acme', 'Research']));
    fireEvent.click(card.getByRole('button', { name: 'Give access' }));
    expect(await card.findByText('Choose a workspace first.')).toBeTruthy();
    fireEvent.change(workspaces, { target: { value: research.id } });
    fireEvent.change(card.getByLabelText('Role of Platform there'), { target: { value: 'viewer' } });
    fireEvent.click(card.getByRole('button', { name: 'Give access' }));
    await screen.findByText('Platform is now viewer on Research.');
    expect(card.getByTestId('team-workspace').textContent).toContain('Research as Viewer');
    expect(card.getByText(/^2 members · 1 workspace · created/)).toBeTruthy();
    await expectNoSeriousViolations(view.container);

    fireEvent.click(card.getByRole('button', { name: 'Remove scout from Platform' }));
    await screen.findByText('Took scout out of Platform.');
    fireEvent.click(card.getByRole('button', { name: 'Take away Research from Platform' }));
    await screen.findByText('Platform no longer reaches Research.');

    fireEvent.click(card.getByRole('button', { name: 'Delete Platform' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Delete the team Platform?' }));
    expect(dialog.getByText(/^Its one person loses what the team gave them/)).toBeTruthy();
    fireEvent.click(dialog.getByRole('button', { name: 'Delete Platform' }));
    await screen.findByText('Deleted the team Platform.');
    await screen.findByText('No teams yet');

    const teamId = view.calls.find((call) => call.method === 'POST' && call.path.endsWith('/members'))?.path.split('/')[4];
    expect(changes(view.calls)).toEqual([
      ['POST', '/organizations/ORG/teams', { name: 'Platform', description: 'Keeps the lights on.' }],
      ['POST', `/organizations/ORG/teams/${teamId}/members`, { kind: 'user', id: nova.userId }],
      ['POST', `/organizations/ORG/teams/${teamId}/members`, { kind: 'agent', id: scout.id }],
      ['PUT', `/organizations/ORG/teams/${teamId}/workspaces/${research.id}`, { role: 'viewer' }],
      ['DELETE', `/organizations/ORG/teams/${teamId}/members/agent/${scout.id}`, undefined],
      ['DELETE', `/organizations/ORG/teams/${teamId}/workspaces/${research.id}`, undefined],
      ['DELETE', `/organizations/ORG/teams/${teamId}`, undefined],
    ]);
  });

  it('says on the name field that another team has it (409 TEAM_NAME_TAKEN), and renames a team', async () => {
    const platform: Team = {
      id: testId(),
      organizationId,
      name: 'Platform',
      description: '',
      members: [],
      workspaces: [],
      createdAt: '2026-01-01T09:00:00.000Z',
    };
    const view = renderPage({ teams: [platform] });
    await cardOf('Platform');
    fireEvent.click(screen.getByRole('button', { name: '+ New team' }));
    const form = within(screen.getByRole('form', { name: 'New team' }));
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'platform' } });
    fireEvent.click(form.getByRole('button', { name: 'Create team' }));
    expect(await form.findByText('Another team is already called “platform”: pick another name.')).toBeTruthy();
    expect(form.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(form.getByRole('button', { name: 'Cancel' }));

    fireEvent.click(screen.getByRole('button', { name: 'Edit Platform' }));
    const edit = within(screen.getByRole('form', { name: 'Edit Platform' }));
    fireEvent.change(edit.getByLabelText('Name'), { target: { value: 'Infrastructure' } });
    fireEvent.click(edit.getByRole('button', { name: 'Save team' }));
    await screen.findByText('Saved the team Infrastructure.');
    await cardOf('Infrastructure');
    expect(changes(view.calls).at(-1)).toEqual(['PATCH', `/organizations/ORG/teams/${platform.id}`, { name: 'Infrastructure' }]);
  });

  it('shows the teams read-only to a plain member of the organisation, people and agents by name', async () => {
    const platform: Team = {
      id: testId(),
      organizationId,
      name: 'Platform',
      description: 'Keeps the lights on.',
      members: [
        { kind: 'user', id: nova.userId, name: 'Nova Newcomer', workspaceId: null, addedAt: '2026-01-01T09:00:00.000Z' },
        { kind: 'agent', id: testId(), name: 'lab-bot', workspaceId: research.id, addedAt: '2026-01-01T09:00:00.000Z' },
      ],
      workspaces: [
        { workspaceId: research.id, workspaceName: 'Research', role: 'member', customRole: null, grantedAt: '2026-01-01T09:00:00.000Z' },
      ],
      createdAt: '2026-01-01T09:00:00.000Z',
    };
    const view = renderPage({ organization: makeOrganization({ role: 'member' }), teams: [platform] });
    const card = await cardOf('Platform');
    expect(screen.getByText('Only owners and admins of the organisation can create and change teams.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '+ New team' })).toBeNull();
    expect(card.queryByRole('button', { name: 'Delete Platform' })).toBeNull();
    expect(card.queryByLabelText('Person or agent to add to Platform')).toBeNull();
    // An agent of another workspace says which one.
    expect(card.getAllByTestId('team-member')[1]?.textContent).toBe('lab-botagentin Research');
    expect(card.getByTestId('team-workspace').textContent).toBe('Research as Member');
    await expectNoSeriousViolations(view.container);
  });
});
