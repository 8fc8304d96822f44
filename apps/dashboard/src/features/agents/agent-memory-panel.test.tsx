import type { Memory } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { describeScore } from './agent-memory-api';
import { AgentMemoryPanel } from './agent-memory-panel';

const scout = makeAgent({ name: 'scout' });
const writer = makeAgent({ name: 'writer' });

function makeMemory(overrides: Partial<Memory>): Memory {
  return {
    id: testId(),
    workspaceId,
    agentId: scout.id,
    content: 'Staging resets every Monday',
    kind: 'fact',
    tags: ['staging'],
    taskId: null,
    importance: 4,
    sharedWithAgentIds: [],
    sharedWithWorkspace: false,
    embedded: false,
    createdAt: new Date(Date.now() - 3 * 60 * 60 * 1000).toISOString(),
    ...overrides,
  };
}

const own = makeMemory({});
const shared = makeMemory({ agentId: writer.id, content: 'The client prefers short reports', kind: 'preference', tags: [], importance: 2 });

function renderPanel(stored: Memory[]) {
  return renderWithApp(<AgentMemoryPanel agentId={scout.id} agentName="scout" />, {
    'GET /agents': () => ({ status: 200, body: { data: [scout, writer], nextCursor: null } }),
    [`GET /agents/${scout.id}/memories`]: () => ({ status: 200, body: { data: stored, nextCursor: null } }),
    [`GET /agents/${scout.id}/memories/search`]: () => ({
      status: 200,
      body: {
        retrieval: 'full-text',
        embeddingModel: null,
        note: 'Found by full text (no embedding model configured).',
        results: [
          { memory: own, score: 0.9, sharedFrom: null },
          { memory: shared, score: 0.2, sharedFrom: writer.id },
        ],
      },
    }),
    [`POST /agents/${scout.id}/memories`]: ({ body }) => ({ status: 201, body: makeMemory(body as Partial<Memory>) }),
    [`DELETE /agents/${scout.id}/memories/${own.id}`]: () => ({ status: 204 }),
  });
}

describe('AgentMemoryPanel', () => {
  it('lists memories with kind, tags, importance and relative time', async () => {
    renderPanel([own]);
    const list = await screen.findByRole('list', { name: 'Memories' });
    const row = within(list).getByText('Staging resets every Monday').closest('li') as HTMLElement;
    expect(within(row).getByText('fact')).toBeTruthy();
    expect(within(row).getByText('#staging')).toBeTruthy();
    expect(within(row).getByText('importance 4 (important)')).toBeTruthy();
    expect(within(row).getByText('3 h ago', { exact: false })).toBeTruthy();
  });

  it('searches as the agent would recall, with the source by name and the score in words', async () => {
    const { calls } = renderPanel([own]);
    await screen.findByRole('list', { name: 'Memories' });
    fireEvent.change(screen.getByLabelText('What would scout recall?'), { target: { value: 'staging reports' } });
    const recalled = await screen.findByRole('list', { name: 'Recalled memories' });
    expect(within(recalled).getByText('best match')).toBeTruthy();
    expect(within(recalled).getByText('weak match')).toBeTruthy();
    expect(within(recalled).getByText('shared by writer')).toBeTruthy();
    expect(screen.getByText('Found by full text (no embedding model configured).')).toBeTruthy();
    expect(calls.filter((call) => call.path.endsWith('/memories/search'))).toHaveLength(1);
  });

  it('forgets a memory only after confirmation', async () => {
    const { calls } = renderPanel([own]);
    fireEvent.click(await screen.findByRole('button', { name: 'Forget' }));
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    fireEvent.click(screen.getByRole('button', { name: 'Forget' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, forget' }));
    await waitFor(() =>
      expect(calls.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([`/agents/${scout.id}/memories/${own.id}`]),
    );
  });

  it('adds a memory as a person with kind, tags and importance', async () => {
    const { calls } = renderPanel([]);
    expect(await screen.findByText('Nothing remembered yet')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Something to remember'), { target: { value: 'Deploys freeze on Fridays' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'lesson' } });
    fireEvent.change(screen.getByLabelText('Importance'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Tags (comma-separated)'), { target: { value: 'deploy, friday' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remember' }));
    await waitFor(() =>
      expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
        content: 'Deploys freeze on Fridays',
        kind: 'lesson',
        tags: ['deploy', 'friday'],
        importance: 5,
      }),
    );
  });

  it('says scores relative to the best of the same answer', () => {
    expect([describeScore(1, 1), describeScore(0.6, 1), describeScore(0.1, 1), describeScore(0, 0)]).toEqual([
      'best match',
      'good match',
      'weak match',
      'weak match',
    ]);
  });
});
