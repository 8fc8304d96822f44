import type { Document } from '@mission-control/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../lib/services-context';
import { testId, workspaceId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices } from '../../test/render-with-app';
import DocumentPage from './document-page';

const brief: Document = {
  id: testId(),
  workspaceId,
  taskId: null,
  title: 'Launch brief',
  content: '# Launch\n',
  type: 'deliverable',
  author: { kind: 'user', id: testId() },
  version: 3,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
};

// useBlocker needs a data router, as the app has; the documents list stands in for "elsewhere".
function openEditor() {
  // The saved version is what the document reads as afterwards, as on the server.
  let stored = brief;
  const fake = createFakeFetch({
    [`GET /documents/${brief.id}`]: () => ({ status: 200, body: stored }),
    [`PATCH /documents/${brief.id}`]: ({ body }) => {
      stored = { ...stored, content: (body as { content: string }).content, version: stored.version + 1 };
      return { status: 200, body: stored };
    },
    'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
    'GET /members': () => ({ status: 200, body: { data: [] } }),
  });
  const router = createMemoryRouter(
    [
      { path: '/documents/:documentId', element: <DocumentPage /> },
      { path: '/documents', element: <h1>All documents</h1> },
    ],
    { initialEntries: [`/documents/${brief.id}`] },
  );
  render(
    <ServicesProvider services={createTestServices(fake.fetch)}>
      <QueryClientProvider client={createTestQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ServicesProvider>,
  );
  return { router, calls: fake.calls };
}

const editor = async () => (await screen.findByLabelText('Markdown')) as HTMLTextAreaElement;
const unloadAsks = () => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};

describe('unsaved document edits (defect 5)', () => {
  it('asks before leaving a dirty editor: cancelling stays with the text, confirming leaves', async () => {
    const user = userEvent.setup();
    const { router } = openEditor();
    await user.type(await editor(), 'Ship on Friday.');
    expect(unloadAsks()).toBe(true);

    await user.click(screen.getByRole('link', { name: 'Documents' }));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    expect(dialog.textContent).toContain('You have not saved your changes to this document.');
    await user.click(screen.getByRole('button', { name: 'Stay and keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(router.state.location.pathname).toBe(`/documents/${brief.id}`);
    expect((await editor()).value).toBe('# Launch\nShip on Friday.');

    // Switching to History would drop the editor too, so it asks as well.
    await user.click(screen.getByRole('tab', { name: 'History' }));
    expect(await screen.findByRole('dialog', { name: 'Leave without saving?' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Stay and keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(screen.getByRole('link', { name: 'Documents' }));
    await user.click(await screen.findByRole('button', { name: 'Leave without saving' }));
    expect(await screen.findByRole('heading', { name: 'All documents' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/documents');
    expect(unloadAsks()).toBe(false);
  });

  it('does not ask when nothing was typed, nor once the changes are saved', async () => {
    const user = userEvent.setup();
    const { router, calls } = openEditor();
    await editor();
    expect(unloadAsks()).toBe(false);
    await user.type(await editor(), 'Ship on Friday.');
    await user.click(screen.getByRole('button', { name: 'Save new version' }));
    await waitFor(() => expect(screen.getByText('Saved')).toBeTruthy());
    expect(calls.some((call) => call.method === 'PATCH')).toBe(true);
    expect(unloadAsks()).toBe(false);

    await user.click(screen.getByRole('link', { name: 'Documents' }));
    expect(await screen.findByRole('heading', { name: 'All documents' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(router.state.location.pathname).toBe('/documents');
  });
});
