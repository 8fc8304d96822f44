import type { GithubConnection } from '@mission-control/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { GithubPanel } from './github-panel';

const at = '2026-01-01T09:00:00.000Z';
const owner = { kind: 'user' as const, id: testId() };

function connectionOf(overrides: Partial<GithubConnection> = {}): GithubConnection {
  const id = testId();
  return {
    id,
    workspaceId: testId(),
    owner: 'octo-org',
    repo: 'widgets',
    label: 'mission',
    capabilityMapping: {},
    assigneeMapping: {},
    enabled: true,
    webhookPath: `/api/v1/integrations/github/${id}/events`,
    sync: { lastPolledAt: at, lastChangedAt: at, lastError: null, importedIssues: 3, openPullRequests: 1 },
    createdBy: owner,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('GithubPanel', () => {
  it('connects a repository, shows the webhook secret once and never keeps the token on screen', async () => {
    let connections: GithubConnection[] = [];
    const created = connectionOf();
    const { calls } = renderWithApp(
      <>
        <GithubPanel />
        <Toaster />
      </>,
      {
        'GET /integrations/github': () => ({ status: 200, body: { data: connections } }),
        'POST /integrations/github': () => {
          connections = [created];
          return { status: 201, body: { ...created, webhookSecret: 'a'.repeat(64) } };
        },
      },
    );
    expect(await screen.findByText('No repository is connected yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Repository'), { target: { value: 'widgets' } });
    fireEvent.change(screen.getByLabelText('Token'), { target: { value: 'ghp_secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toContain('owner/repo');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.change(screen.getByLabelText('Repository'), { target: { value: 'octo-org/widgets' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByTestId('github-webhook-secret')).textContent).toBe('a'.repeat(64));
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/integrations/github',
        body: { owner: 'octo-org', repo: 'widgets', token: 'ghp_secret', label: 'mission-control' },
      },
    ]);
    expect((screen.getByLabelText('Token') as HTMLInputElement).value).toBe('');
    expect(await screen.findByText(/3 issue\(s\), 1 open PR\(s\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'I saved it' }));
    expect(screen.queryByTestId('github-webhook-secret')).toBeNull();
  });

  it('syncs a connection now and shows its last error', async () => {
    const connection = connectionOf({
      sync: { lastPolledAt: null, lastChangedAt: null, lastError: 'GitHub answered 401', importedIssues: 0, openPullRequests: 0 },
    });
    const { calls } = renderWithApp(
      <>
        <GithubPanel />
        <Toaster />
      </>,
      {
        'GET /integrations/github': () => ({ status: 200, body: { data: [connection] } }),
        [`POST /integrations/github/${connection.id}/sync`]: () => ({
          status: 200,
          body: { notModified: false, imported: 1, updated: 0, comments: 0, merged: 0 },
        }),
      },
    );
    expect((await screen.findByRole('alert')).textContent).toContain('GitHub answered 401');
    expect(screen.getByText(/polled never/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() =>
      expect(calls.some((call) => call.method === 'POST' && call.path === `/integrations/github/${connection.id}/sync`)).toBe(true),
    );
    expect(await screen.findByText('Synced octo-org/widgets.')).toBeTruthy();
  });
});
