import type { SearchHit } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeAgent, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { CommandPaletteButton } from './command-palette-button';
import { buildPaletteOptions } from './palette-options';

function ShowLocation() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

const taskId = testId();
const documentId = testId();
const agentId = testId();
const at = '2026-01-01T09:00:00.000Z';
const hits: SearchHit[] = [
  { type: 'message', id: testId(), taskId, agentId: null, title: '', snippet: 'the **zanzibar** console is down', score: 3, updatedAt: at },
  {
    type: 'task',
    id: taskId,
    taskId,
    agentId: null,
    title: 'Rotate the zanzibar keys',
    snippet: 'Rotate the **zanzibar** keys',
    score: 5,
    updatedAt: at,
  },
  {
    type: 'document',
    id: documentId,
    taskId: null,
    agentId: null,
    title: 'Zanzibar runbook',
    snippet: '**Zanzibar** runbook',
    score: 4,
    updatedAt: at,
  },
  { type: 'memory', id: testId(), taskId: null, agentId, title: '', snippet: 'prefers **zanzibar** mirrors', score: 1, updatedAt: at },
];

function renderPalette() {
  return renderWithApp(
    <>
      <CommandPaletteButton />
      <ShowLocation />
    </>,
    {
      'GET /agents': () => ({ status: 200, body: { data: [makeAgent({ id: agentId, name: 'zanzibar-scout' })], nextCursor: null } }),
      'GET /search': () => ({ status: 200, body: { hits, facets: { task: 1, message: 1, document: 1, skill: 0, memory: 1 } } }),
    },
  );
}

async function openAndType(words: string) {
  fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
  const field = await screen.findByRole('combobox', { name: 'Search or jump to' });
  fireEvent.change(field, { target: { value: words } });
  await screen.findByRole('option', { name: /Rotate the zanzibar keys/ });
  return field;
}

describe('CommandPalette', () => {
  it('opens on Ctrl-K with the pages to jump to, and Escape closes it', async () => {
    renderPalette();
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const field = await screen.findByRole('combobox', { name: 'Search or jump to' });
    expect(document.activeElement).toBe(field);
    const pages = screen.getByRole('group', { name: 'Pages' });
    expect(within(pages).getByRole('option', { name: 'Tasks' })).toBeTruthy();
    fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('combobox')).toBeNull());
  });

  it('opens from the header button too, and Meta-K (Cmd-K) toggles it', async () => {
    renderPalette();
    fireEvent.click(screen.getByRole('button', { name: /Search/ }));
    expect(await screen.findByRole('combobox')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'k', metaKey: true });
    await waitFor(() => expect(screen.queryByRole('combobox')).toBeNull());
  });

  it('groups the hits by type with the matched words marked, and the arrow keys move the selection', async () => {
    const { calls } = renderPalette();
    const field = await openAndType('zanzibar');
    const groups = screen.getAllByRole('group').map((group) => group.getAttribute('aria-label'));
    expect(groups).toEqual(['Agents', 'Tasks', 'Documents', 'Messages', 'Memories']);
    expect(calls.filter((call) => call.path === '/search')).toHaveLength(1);
    const agent = screen.getByRole('option', { name: /zanzibar-scout/ });
    expect(agent.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(field, { key: 'ArrowDown' });
    const task = screen.getByRole('option', { name: /Rotate the zanzibar keys/ });
    expect([...task.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['zanzibar']);
    expect(task.getAttribute('aria-selected')).toBe('true');
    expect(field.getAttribute('aria-activedescendant')).toBe(task.id);
    fireEvent.keyDown(field, { key: 'ArrowDown' });
    const document = screen.getByRole('option', { name: /Zanzibar runbook/ });
    expect(document.getAttribute('aria-selected')).toBe('true');
    expect(field.getAttribute('aria-activedescendant')).toBe(document.id);
    // Up from the first row wraps to the last.
    for (const _ of [1, 2, 3]) fireEvent.keyDown(field, { key: 'ArrowUp' });
    expect(screen.getByRole('option', { name: /prefers zanzibar mirrors/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('Enter on a task opens its drawer where the person is, and an agent its profile', async () => {
    renderPalette();
    let field = await openAndType('zanzibar');
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/agents/${agentId}`));
    field = await openAndType('zanzibar');
    fireEvent.keyDown(field, { key: 'ArrowDown' });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/agents/${agentId}?task=${taskId}`));
    await waitFor(() => expect(screen.queryByRole('combobox')).toBeNull());
  });

  it('a click on a document opens its page, and on a message its task', async () => {
    renderPalette();
    await openAndType('zanzibar');
    fireEvent.click(screen.getByRole('option', { name: /Zanzibar runbook/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/documents/${documentId}`));
    await openAndType('zanzibar');
    fireEvent.click(screen.getByRole('option', { name: /zanzibar console is down/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/documents/${documentId}?task=${taskId}`));
  });
});

describe('buildPaletteOptions', () => {
  it('offers the pages whose name matches, then a memory jumps to its agent', () => {
    const options = buildPaletteOptions(
      'age',
      [
        { to: '/agents', label: 'Agents' },
        { to: '/tasks', label: 'Tasks' },
      ],
      hits.filter((hit) => hit.type === 'memory'),
    );
    expect(options.map((option) => [option.group, option.label, option.to])).toEqual([
      ['Pages', 'Agents', '/agents'],
      ['Memories', 'Agent memory', `/agents/${agentId}`],
    ]);
  });
});
