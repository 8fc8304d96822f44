import type { RetentionSettings, WorkspaceRole } from '@mission-control/contracts';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSession, workspaceId } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import WorkspaceSettingsPage from './workspace-settings-page';

const workspace = {
  id: workspaceId,
  name: 'Acme',
  slug: 'acme',
  taskKeyPrefix: 'TASK',
  wipLimits: {},
  createdAt: new Date().toISOString(),
};

/** The workspace settings page over a stand-in for the retention endpoints: PUT keeps a field left out, as the real one does. */
function renderPage(role: WorkspaceRole, initial: RetentionSettings, extra: Record<string, RouteHandler> = {}) {
  let retention = initial;
  const rendered = renderWithApp(<WorkspaceSettingsPage />, {
    'GET /workspace': () => ({ status: 200, body: workspace }),
    'GET /workspace/runtime-settings': () => ({ status: 200, body: { autoAssign: false, humanReview: true } }),
    'GET /workspace/retention': () => ({ status: 200, body: retention }),
    'PUT /workspace/retention': ({ body }) => {
      retention = { ...retention, ...(body as Partial<RetentionSettings>) };
      return { status: 200, body: retention };
    },
    ...extra,
  });
  act(() => rendered.services.session.set(makeSession(role, workspace)));
  return rendered;
}

const select = (name: string) => screen.findByRole('combobox', { name }) as Promise<HTMLSelectElement>;
const save = () => screen.getByRole('button', { name: 'Save data retention' });
const puts = (calls: { method: string; path: string; body: unknown }[]) =>
  calls.filter((call) => call.method === 'PUT' && call.path === '/workspace/retention');

describe('the data retention section', () => {
  beforeEach(() => window.localStorage.clear());

  it('explains what is deleted, starts at Keep forever, and sends only the setting that changed', async () => {
    const user = userEvent.setup();
    const { calls } = renderPage('owner', { messagesDays: null, runsDays: null });
    expect(screen.getByRole('heading', { name: 'Data retention' })).toBeTruthy();
    expect(screen.getByText(/deleted for good: there is no undo/)).toBeTruthy();
    const messages = await select('Task messages');
    await waitFor(() => expect(messages.value).toBe('forever'));
    expect((await select('Run transcripts')).value).toBe('forever');
    expect(screen.queryByTestId('retention-warning')).toBeNull();

    await user.selectOptions(messages, '90 days');
    expect(screen.getByTestId('retention-warning').textContent).toContain('Saving deletes task messages older than the new limit');
    await user.click(save());
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(puts(calls)[0]?.body).toEqual({ messagesDays: 90 });
    await waitFor(() => expect(screen.queryByTestId('retention-warning')).toBeNull());
    expect((await select('Task messages')).value).toBe('90');
  });

  it('takes a custom number of days, shows a stored odd value as custom, and goes back to forever with null', async () => {
    const user = userEvent.setup();
    const { calls } = renderPage('admin', { messagesDays: 45, runsDays: 30 });
    const messages = await select('Task messages');
    await waitFor(() => expect(messages.value).toBe('custom'));
    expect((screen.getByLabelText('Task messages: days to keep') as HTMLInputElement).value).toBe('45');

    const runs = await select('Run transcripts');
    await user.selectOptions(runs, 'Custom…');
    await user.type(screen.getByLabelText('Run transcripts: days to keep'), '14');
    await user.selectOptions(messages, 'Keep forever');
    await user.click(save());
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(puts(calls)[0]?.body).toEqual({ messagesDays: null, runsDays: 14 });
  });

  it('refuses a custom value outside 1–3650 in plain words without asking the server, and says when nothing changed', async () => {
    const user = userEvent.setup();
    const { calls } = renderPage('owner', { messagesDays: 30, runsDays: null });
    await waitFor(async () => expect((await select('Task messages')).value).toBe('30'));
    await user.click(save());
    expect((await screen.findByRole('alert')).textContent).toBe('Nothing changed.');

    await user.selectOptions(await select('Run transcripts'), 'Custom…');
    await user.type(screen.getByLabelText('Run transcripts: days to keep'), '5000');
    await user.click(save());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Run transcripts: a whole number of days from 1 to 3650.'));
    await user.clear(screen.getByLabelText('Run transcripts: days to keep'));
    await user.click(save());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Run transcripts: a whole number of days from 1 to 3650.'));
    expect(puts(calls)).toEqual([]);
  });

  it('shows the server’s message when it refuses the change', async () => {
    const user = userEvent.setup();
    renderPage(
      'owner',
      { messagesDays: null, runsDays: null },
      {
        'PUT /workspace/retention': () => ({
          status: 403,
          body: { error: { code: 'FORBIDDEN', message: 'Your role (member) cannot do this (workspace:manage).' } },
        }),
      },
    );
    await user.selectOptions(await select('Run transcripts'), '30 days');
    await user.click(save());
    expect((await screen.findByRole('alert')).textContent).toBe('Your role (member) cannot do this (workspace:manage).');
  });

  it('shows a member the retention read-only, with who can change it', async () => {
    renderPage('member', { messagesDays: 365, runsDays: null });
    const values = await screen.findByTestId('retention-values');
    expect(values.textContent).toContain('Task messages: 365 days');
    expect(values.textContent).toContain('Run transcripts: Keep forever');
    expect(screen.getByText('Only owners and admins can change how long data is kept.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save data retention' })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Task messages' })).toBeNull();
  });
});
