import type { SessionTokens } from '@mission-control/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../lib/services-context';
import { testId, workspaceId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices, type RouteHandler } from '../../test/render-with-app';
import { LoginPage } from '../auth/login-page';

const at = '2026-01-01T09:00:00.000Z';
const session: SessionTokens = {
  accessToken: 'access',
  accessTokenExpiresAt: '2099-01-01T09:15:00.000Z',
  refreshToken: 'refresh',
  refreshTokenExpiresAt: '2099-01-31T09:00:00.000Z',
  tokenType: 'Bearer',
  user: { id: testId(), email: 'olga@example.com', name: 'Olga Owner', createdAt: at },
  workspace: { id: workspaceId, name: 'Launch crew', slug: 'launch-crew', taskKeyPrefix: 'TASK', wipLimits: {}, createdAt: at },
  role: 'owner',
};
const noSso = { password: true, oidc: [] };

function renderLogin(routes: Record<string, RouteHandler>, entry = '/login?next=/tasks') {
  const fake = createFakeFetch(routes);
  const services = createTestServices(fake.fetch);
  render(
    <ServicesProvider services={services}>
      <QueryClientProvider client={createTestQueryClient()}>
        <MemoryRouter initialEntries={[entry]}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/tasks" element={<p>Tasks page</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>,
  );
  return { calls: fake.calls, services };
}

const signInWithPassword = () => {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'olga@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
};

describe('sign-in with MFA and single sign-on', () => {
  it('asks for a code after the password when MFA is on, and signs in with it', async () => {
    const { calls, services } = renderLogin({
      'GET /auth/providers': () => ({ status: 200, body: noSso }),
      'POST /auth/login': () => ({ status: 200, body: { mfaRequired: true, challengeToken: 'mc_mfa_x', challengeExpiresAt: at } }),
      'POST /auth/mfa/verify': () => ({ status: 200, body: session }),
    });
    signInWithPassword();
    const codeInput = await screen.findByLabelText('Code');
    expect(services.session.current).toBeNull();
    fireEvent.change(codeInput, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText('Tasks page');
    expect(calls.find((call) => call.path === '/auth/mfa/verify')?.body).toEqual({ challengeToken: 'mc_mfa_x', code: '123456' });
    expect(services.session.current?.accessToken).toBe('access');
  });

  it('signs in with a recovery code instead, and shows the server’s message for a wrong one', async () => {
    let attempts = 0;
    const { calls } = renderLogin({
      'GET /auth/providers': () => ({ status: 200, body: noSso }),
      'POST /auth/login': () => ({ status: 200, body: { mfaRequired: true, challengeToken: 'mc_mfa_y', challengeExpiresAt: at } }),
      'POST /auth/mfa/verify': () => {
        attempts += 1;
        return attempts === 1
          ? { status: 400, body: { error: { code: 'MFA_CODE_INVALID', message: 'That code is wrong.' } } }
          : { status: 200, body: session };
      },
    });
    signInWithPassword();
    fireEvent.click(await screen.findByRole('button', { name: 'Use a recovery code' }));
    fireEvent.change(screen.getByLabelText('Recovery code'), { target: { value: 'aaaaa-bbbbb' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That code is wrong.');
    fireEvent.change(screen.getByLabelText('Recovery code'), { target: { value: 'ccccc-ddddd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText('Tasks page');
    expect(calls.filter((call) => call.path === '/auth/mfa/verify').at(-1)?.body).toEqual({
      challengeToken: 'mc_mfa_y',
      recoveryCode: 'ccccc-ddddd',
    });
  });

  it('offers “Sign in with …” when single sign-on is set up, and trades the code the callback left', async () => {
    renderLogin({
      'GET /auth/providers': () => ({
        status: 200,
        body: {
          password: true,
          oidc: [
            { id: 'oidc', name: 'Acme SSO', startUrl: '/api/v1/auth/oidc/start' },
            { id: 'organization:globex', name: 'Globex IdP', startUrl: '/api/v1/auth/oidc/start?organization=globex' },
          ],
        },
      }),
    });
    const button = await screen.findByRole('link', { name: 'Sign in with Acme SSO' });
    expect(button.getAttribute('href')).toBe('/api/v1/auth/oidc/start?redirect=%2Ftasks');
    const organization = await screen.findByRole('link', { name: 'Sign in with Globex IdP' });
    expect(organization.getAttribute('href')).toBe('/api/v1/auth/oidc/start?organization=globex&redirect=%2Ftasks');
  });

  it('says why a single sign-on was refused when the server sends the person back', async () => {
    renderLogin(
      { 'GET /auth/providers': () => ({ status: 200, body: noSso }) },
      '/login?ssoError=OIDC_EMAIL_UNVERIFIED&ssoMessage=The%20identity%20provider%20has%20not%20verified%20this%20email.',
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Single sign-on did not sign you in: The identity provider has not verified this email.');
  });

  it('finishes a single sign-on from the one-time code in the address', async () => {
    const { calls, services } = renderLogin(
      {
        'GET /auth/providers': () => ({ status: 200, body: noSso }),
        'POST /auth/oidc/exchange': () => ({ status: 200, body: session }),
      },
      '/login?oidcCode=mc_sso_abc&next=/tasks',
    );
    await screen.findByText('Tasks page');
    await waitFor(() => expect(services.session.current?.accessToken).toBe('access'));
    expect(calls.filter((call) => call.path === '/auth/oidc/exchange').map((call) => call.body)).toEqual([{ code: 'mc_sso_abc' }]);
  });
});
