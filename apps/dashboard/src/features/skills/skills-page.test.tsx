import type { AgentSkillUsage, Skill } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, makeMember, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { AgentSkillsPanel } from './agent-skills-panel';
import SkillsPage from './skills-page';

const lead = makeAgent({ name: 'lead-one', kind: 'lead' });
const owner = makeMember('Ada', 'ada@example.com');
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

function makeSkill(overrides: Partial<Skill>): Skill {
  return {
    id: testId(),
    workspaceId,
    name: 'Rotate database credentials',
    description: 'When the vault warns a password expires',
    body: '1. Open the vault',
    capabilities: ['ops'],
    sourceTaskId: null,
    version: 2,
    author: { kind: 'agent', id: lead.id },
    usage: { uses: 4, succeeded: 3, failed: 1 },
    createdAt: hoursAgo(30),
    updatedAt: hoursAgo(3),
    ...overrides,
  };
}

describe('SkillsPage', () => {
  it('lists skills with the author’s name, their record in words and a relative time, and creates one', async () => {
    const stored = makeSkill({});
    const { calls } = renderWithApp(<SkillsPage />, {
      'GET /agents': () => ({ status: 200, body: { data: [lead], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: [owner] }),
      'GET /skills': () => ({ status: 200, body: { data: [stored], nextCursor: null } }),
      'POST /skills': ({ body }) => ({ status: 201, body: makeSkill(body as Partial<Skill>) }),
    });
    const card = (await screen.findByRole('link', { name: 'Rotate database credentials' })).closest('li') as HTMLElement;
    expect(within(card).getByText('used for 4 tasks: 3 done, 1 failed')).toBeTruthy();
    await waitFor(() => expect(within(card).getByText(/by lead-one, 3 hr?\.? ago/)).toBeTruthy());

    fireEvent.click(screen.getByRole('button', { name: '+ New skill' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    expect((await screen.findByRole('alert')).textContent).toContain('needs a name');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Bisect a regression' } });
    fireEvent.change(screen.getByLabelText('Capabilities (comma separated)'), { target: { value: 'Git, testing' } });
    fireEvent.change(screen.getByLabelText('Procedure (markdown)'), { target: { value: 'git bisect run npm test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST' && call.path === '/skills')).toBe(true));
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
      name: 'Bisect a regression',
      description: '',
      body: 'git bisect run npm test',
      capabilities: ['git', 'testing'],
    });
  });
});

describe('AgentSkillsPanel', () => {
  it('shows the skills an agent used with success counts, and says so when there are none', async () => {
    const used: AgentSkillUsage[] = [
      { skillId: testId(), name: 'Bisect a regression', lastUsedAt: hoursAgo(5), usage: { uses: 2, succeeded: 2, failed: 0 } },
    ];
    renderWithApp(<AgentSkillsPanel agentId={lead.id} agentName="lead-one" />, {
      [`GET /agents/${lead.id}/skills`]: () => ({ status: 200, body: used }),
    });
    const row = (await screen.findByRole('link', { name: 'Bisect a regression' })).closest('li') as HTMLElement;
    expect(row.textContent).toContain('used for 2 tasks: 2 done');
    expect(row.textContent).toMatch(/last 5 hr?\.? ago/);
  });

  it('says when the agent used no skill yet', async () => {
    renderWithApp(<AgentSkillsPanel agentId={lead.id} agentName="lead-one" />, {
      [`GET /agents/${lead.id}/skills`]: () => ({ status: 200, body: [] }),
    });
    expect(await screen.findByText('lead-one has not read a skill for a task yet.')).toBeTruthy();
  });
});
