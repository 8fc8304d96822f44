import type { Workspace, WorkspaceRole } from '@mission-control/contracts';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSession, workspaceId } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import WorkspaceSettingsPage from './workspace-settings-page';

const later = new Date(Date.now() + 3_600_000).toISOString();

function makeWorkspace(overrides: Partial<Workspace> = {}): Workspace {
  return { id: workspaceId, name: 'Acme', slug: 'acme', taskKeyPrefix: 'TASK', wipLimits: { inbox: 3 }, createdAt: later, ...overrides };
}

/** A small stand-in for the server's workspace endpoints: PATCH merges limits and null clears, as the real one does. */
function renderPage(role: WorkspaceRole, extra: Record<string, RouteHandler> = {}) {
  let workspace = makeWorkspace();
  let settings = { autoAssign: false, humanReview: true };
  const rendered = renderWithApp(<WorkspaceSettingsPage />, {
    'GET /workspace': () => ({ status: 200, body: workspace }),
    'PATCH /workspace': ({ body }) => {
      const input = body as { name?: string; wipLimits?: Record<string, number | null> };
      const limits: Record<string, number> = { ...workspace.wipLimits };
      for (const [column, value] of Object.entries(input.wipLimits ?? {})) {
        if (value === null) delete limits[column];
        else limits[column] = value;
      }
      workspace = { ...workspace, name: input.name ?? workspace.name, wipLimits: limits };
      return { status: 200, body: workspace };
    },
    'GET /workspace/runtime-settings': () => ({ status: 200, body: settings }),
    'PUT /workspace/runtime-settings': ({ body }) => {
      settings = { ...settings, ...(body as object) };
      return { status: 200, body: settings };
    },
    'GET /workspace/retention': () => ({ status: 200, body: { messagesDays: null, runsDays: 90 } }),
    ...extra,
  });
  act(() => rendered.services.session.set(makeSession(role, makeWorkspace())));
  return rendered;
}

describe('the workspace settings page', () => {
  beforeEach(() => window.localStorage.clear());

  it('sends only the limits that changed, an emptied one as null, and shows what the server stored', async () => {
    const user = userEvent.setup();
    const { calls } = renderPage('owner');
    const inbox = await screen.findByLabelText('Inbox limit');
    await waitFor(() => expect((inbox as HTMLInputElement).value).toBe('3'));
    await user.clear(inbox);
    await user.type(screen.getByLabelText('In progress limit'), '5');
    await user.click(screen.getByRole('button', { name: 'Save workspace' }));
    await waitFor(() => expect(calls.filter((call) => call.method === 'PATCH')).toHaveLength(1));
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ wipLimits: { inbox: null, in_progress: 5 } });
    await waitFor(() => expect((screen.getByLabelText('In progress limit') as HTMLInputElement).value).toBe('5'));
    expect((screen.getByLabelText('Inbox limit') as HTMLInputElement).value).toBe('');
  });

  it('renames the workspace with only the name, and the session (the shell’s name) follows', async () => {
    const user = userEvent.setup();
    const { calls, services } = renderPage('admin');
    const name = await screen.findByLabelText('Name');
    await waitFor(() => expect((name as HTMLInputElement).value).toBe('Acme'));
    await user.clear(name);
    await user.type(name, 'Acme Labs');
    await user.click(screen.getByRole('button', { name: 'Save workspace' }));
    await waitFor(() => expect(services.session.current?.workspace.name).toBe('Acme Labs'));
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ name: 'Acme Labs' });
  });

  it('refuses a limit outside 1–999 in plain words without asking the server, and says when nothing changed', async () => {
    const user = userEvent.setup();
    const { calls } = renderPage('owner');
    await user.click(await screen.findByRole('button', { name: 'Save workspace' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Nothing changed.');
    await user.type(screen.getByLabelText('Review limit'), '0');
    await user.click(screen.getByRole('button', { name: 'Save workspace' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('Review limit: a whole number from 1 to 999, or empty for no limit.'),
    );
    expect(calls.some((call) => call.method === 'PATCH')).toBe(false);
  });

  it('shows the server’s message when it refuses the change', async () => {
    const user = userEvent.setup();
    renderPage('owner', {
      'PATCH /workspace': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Only owners and admins can do this.' } } }),
    });
    await user.type(await screen.findByLabelText('Assigned limit'), '4');
    await user.click(screen.getByRole('button', { name: 'Save workspace' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only owners and admins can do this.');
  });

  it('saves only the runtime toggle that changed', async () => {
    const user = userEvent.setup();
    const { calls } = renderPage('member');
    const autoAssign = await screen.findByRole('checkbox', { name: 'Auto-assignment' });
    expect(screen.getByRole('checkbox', { name: 'Review by people' })).toHaveProperty('checked', true);
    await user.click(autoAssign);
    await user.click(screen.getByRole('button', { name: 'Save agent settings' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'PUT')).toBe(true));
    expect(calls.find((call) => call.method === 'PUT')?.body).toEqual({ autoAssign: true });
    // A member changes the agents' settings but only reads the name and limits.
    expect(screen.getByText('Only owners and admins can change the name and the limits.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save workspace' })).toBeNull();
  });

  it('shows a viewer every value read-only, with who can change them', async () => {
    renderPage('viewer');
    const values = await screen.findByTestId('workspace-values');
    expect(values.textContent).toContain('Acme');
    expect(values.textContent).toContain('Inbox limit3');
    expect(values.textContent).toContain('In progress limitNo limit');
    expect(await screen.findByText('Auto-assignment: Off')).toBeTruthy();
    expect(screen.getByText('Review by people: On')).toBeTruthy();
    expect(screen.getByText('Only owners, admins and members can change these.')).toBeTruthy();
    expect(await screen.findByText('Run transcripts: 90 days')).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
