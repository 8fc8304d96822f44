import type { ReceivedInvitation, SessionTokens } from '@mission-control/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../lib/services-context';
import { testId, workspaceId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices, type RouteHandler, renderWithApp } from '../../test/render-with-app';
import InvitePage from './invite-page';
import { PendingInvitations } from './pending-invitations';

const at = '2026-01-01T09:00:00.000Z';
const token = `mc_inv_${'x'.repeat(43)}`;

function makeInvitation(overrides: Partial<ReceivedInvitation> = {}): ReceivedInvitation {
  return {
    id: testId(),
    email: 'nova@example.com',
    role: 'member',
    status: 'pending',
    expiresAt: '2026-01-08T09:00:00.000Z',
    createdAt: at,
    workspace: { id: workspaceId, name: 'Launch crew' },
    invitedBy: { id: testId(), name: 'Olga Owner' },
    ...overrides,
  };
}

function makeSession(overrides: Partial<SessionTokens> = {}): SessionTokens {
  return {
    accessToken: 'access',
    accessTokenExpiresAt: '2099-01-01T09:15:00.000Z',
    refreshToken: 'refresh',
    refreshTokenExpiresAt: '2099-01-31T09:00:00.000Z',
    tokenType: 'Bearer',
    user: { id: testId(), email: 'nova@example.com', name: 'Nova Newcomer', createdAt: at },
    workspace: { id: workspaceId, name: 'Launch crew', slug: 'launch-crew', taskKeyPrefix: 'TASK', wipLimits: {}, createdAt: at },
    role: 'member',
    ...overrides,
  };
}

/** The invite page at /invite/<token>, with the command center as where it leads. */
function renderInvitePage(routes: Record<string, RouteHandler>) {
  const fake = createFakeFetch(routes);
  const services = createTestServices(fake.fetch);
  render(
    <ServicesProvider services={services}>
      <QueryClientProvider client={createTestQueryClient()}>
        <MemoryRouter initialEntries={[`/invite/${token}`]}>
          <Routes>
            <Route path="/invite/:token" element={<InvitePage />} />
            <Route path="/" element={<p>Command center</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>,
  );
  return { calls: fake.calls, services };
}

describe('the invite page', () => {
  it('shows who invited the email to what, and joining with a name and password signs in', async () => {
    const session = makeSession();
    const { calls, services } = renderInvitePage({
      [`GET /invitation-links/${token}`]: () => ({ status: 200, body: makeInvitation() }),
      [`POST /invitation-links/${token}/accept`]: () => ({ status: 200, body: session }),
    });
    const summary = await screen.findByTestId('invitation-summary');
    expect(summary.textContent).toContain('Join Launch crew');
    expect(summary.textContent).toContain('Olga Owner invited nova@example.com as member');

    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Nova Newcomer' } });
    fireEvent.change(screen.getByLabelText('Choose a password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join Launch crew' }));

    await screen.findByText('Command center');
    expect(calls.find((call) => call.method === 'POST')).toEqual({
      method: 'POST',
      path: `/invitation-links/${token}/accept`,
      body: { name: 'Nova Newcomer', password: 'a long enough password' },
    });
    expect(services.session.current?.accessToken).toBe('access');
  });

  it('says the server’s reason when joining fails, and stays signed out', async () => {
    const { services } = renderInvitePage({
      [`GET /invitation-links/${token}`]: () => ({ status: 200, body: makeInvitation() }),
      [`POST /invitation-links/${token}/accept`]: () => ({
        status: 401,
        body: { error: { code: 'INVALID_CREDENTIALS', message: 'This email already has an account, and that is not its password.' } },
      }),
    });
    await screen.findByTestId('invitation-summary');
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Nova' } });
    fireEvent.change(screen.getByLabelText('Choose a password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join Launch crew' }));
    expect((await screen.findByRole('alert')).textContent).toContain('already has an account');
    expect(services.session.current).toBeNull();
  });

  it.each([
    ['INVITATION_ALREADY_USED', 410, 'This invitation was already used'],
    ['INVITATION_EXPIRED', 410, 'This invitation has expired'],
    ['INVITATION_REVOKED', 410, 'This invitation was withdrawn'],
    ['INVITATION_NOT_FOUND', 404, 'This link is not valid'],
  ])('explains a closed link (%s) and offers no form', async (code, status, title) => {
    renderInvitePage({ [`GET /invitation-links/${token}`]: () => ({ status, body: { error: { code, message: 'closed' } } }) });
    expect((await screen.findByRole('alert')).textContent).toContain(title);
    expect(screen.queryByLabelText('Choose a password')).toBeNull();
  });
});

describe('pending invitations', () => {
  it('shows nothing without invitations', async () => {
    const { calls } = renderWithApp(<PendingInvitations />, { 'GET /invitations/mine': () => ({ status: 200, body: { data: [] } }) });
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(screen.queryByTestId('pending-invitations')).toBeNull();
  });

  it('accepts an invitation, then switches to the workspace with the password', async () => {
    const invitation = makeInvitation();
    let answered = false;
    const { calls, services } = renderWithApp(<PendingInvitations />, {
      'GET /invitations/mine': () => ({ status: 200, body: { data: answered ? [] : [invitation] } }),
      [`POST /invitations/${invitation.id}/accept`]: () => {
        answered = true;
        return {
          status: 200,
          body: {
            invitation: { ...invitation, status: 'accepted' },
            workspace: { id: workspaceId, name: 'Launch crew', slug: 'launch-crew', taskKeyPrefix: 'TASK', wipLimits: {}, createdAt: at },
            role: 'member',
          },
        };
      },
      'POST /auth/login': () => ({ status: 200, body: makeSession() }),
    });
    services.session.set(
      makeSession({ workspace: { id: testId(), name: 'Home', slug: 'home', taskKeyPrefix: 'HOME', wipLimits: {}, createdAt: at } }),
    );
    expect((await screen.findByTestId('pending-invitations')).textContent).toContain('Olga Owner invited you to Launch crew as member');
    fireEvent.click(screen.getByRole('button', { name: 'Accept' }));

    expect((await screen.findByRole('status')).textContent).toContain('You joined Launch crew as member');
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Switch to Launch crew' }));
    await waitFor(() => expect(services.session.current?.workspace.name).toBe('Launch crew'));
    expect(calls.find((call) => call.path === '/auth/login')?.body).toEqual({
      email: 'nova@example.com',
      password: 'a long enough password',
      workspaceId,
    });
    await waitFor(() => expect(screen.queryByTestId('pending-invitations')).toBeNull());
  });

  it('declines an invitation', async () => {
    const invitation = makeInvitation();
    let answered = false;
    const { calls } = renderWithApp(<PendingInvitations />, {
      'GET /invitations/mine': () => ({ status: 200, body: { data: answered ? [] : [invitation] } }),
      [`POST /invitations/${invitation.id}/decline`]: () => {
        answered = true;
        return { status: 200, body: { ...invitation, status: 'declined' } };
      },
    });
    await screen.findByTestId('pending-invitations');
    fireEvent.click(screen.getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(screen.queryByTestId('pending-invitations')).toBeNull());
    expect(calls.map((call) => `${call.method} ${call.path}`)).toContain(`POST /invitations/${invitation.id}/decline`);
  });
});
