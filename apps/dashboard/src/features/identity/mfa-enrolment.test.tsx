import { endpoints, type MfaStatus } from '@mission-control/contracts';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueryClient } from '../../app/app';
import { describeError } from '../../lib/describe-error';
import { ServicesProvider, useClient } from '../../lib/services-context';
import { makeSession } from '../../test/fixtures';
import { createFakeFetch, createTestServices, type RouteHandler } from '../../test/render-with-app';
import { clearMfaEnrolmentRequired, mfaEnrolmentMessage } from './mfa-enrolment';
import { MfaEnrolmentRedirect } from './mfa-enrolment-redirect';
import SecurityPage from './security-page';

const mfaOff: MfaStatus = { totpEnabled: false, totpEnabledAt: null, enrolmentPending: false, recoveryCodesRemaining: 0 };
const mfaOn: MfaStatus = {
  totpEnabled: true,
  totpEnabledAt: '2026-01-01T09:00:00.000Z',
  enrolmentPending: false,
  recoveryCodesRemaining: 10,
};
const refused = {
  status: 403,
  body: { error: { code: 'MFA_ENROLMENT_REQUIRED', message: 'Your organisation requires a second factor. Set one up first.' } },
};

/** A page that reads something, as every page does: the first request after sign-in. */
function TasksPage() {
  const client = useClient();
  const members = useQuery({ queryKey: ['members'], queryFn: () => client.request(endpoints.listMembers) });
  if (members.isError) return <p>{describeError(members.error)}</p>;
  return <p>{members.data ? `Tasks page with ${members.data.data.length} members` : 'Loading'}</p>;
}

function renderApp(routes: Record<string, RouteHandler>) {
  const fake = createFakeFetch(routes);
  const services = createTestServices(fake.fetch);
  // The app's own query client, with its global error handling.
  const queryClient = createQueryClient();
  act(() => services.session.set(makeSession('member')));
  render(
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={['/tasks']}>
          <MfaEnrolmentRedirect />
          <Routes>
            <Route path="/tasks" element={<TasksPage />} />
            <Route path="/security" element={<SecurityPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>,
  );
  return { calls: fake.calls, services, queryClient };
}

afterEach(() => clearMfaEnrolmentRequired());

describe('an organisation that requires a second factor', () => {
  it('sends the person from the first refused request to set one up, then lets them carry on where they were', async () => {
    let enrolled = false;
    const { calls, services } = renderApp({
      'GET /members': () => (enrolled ? { status: 200, body: { data: [] } } : refused),
      'GET /auth/mfa': () => ({ status: 200, body: enrolled ? mfaOn : mfaOff }),
      'POST /auth/mfa/totp': () =>
        enrolled ? refused : { status: 201, body: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x' } },
      'POST /auth/mfa/totp/confirm': () => {
        enrolled = true;
        return { status: 200, body: { recoveryCodes: ['aaaaa-bbbbb'] } };
      },
      'POST /auth/refresh': () => ({ status: 200, body: { ...makeSession('member'), accessToken: 'fresh' } }),
      'GET /auth/api-keys': () => ({ status: 200, body: { data: [], nextCursor: null } }),
    });

    expect((await screen.findByRole('alert')).textContent).toBe(mfaEnrolmentMessage);
    expect(screen.getByRole('heading', { name: 'Security' })).toBeTruthy();
    // The refused keys are not listed while the server refuses everything else.
    expect(screen.queryByRole('region', { name: 'Your API keys' })).toBeNull();

    fireEvent.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
    fireEvent.change(await screen.findByLabelText('Code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    await screen.findByRole('list', { name: 'Recovery codes' });
    await waitFor(() => expect(screen.queryByText(mfaEnrolmentMessage)).toBeNull());
    // A fresh token, so the server does not answer from its memory of the old one's refusal.
    expect(calls.some((call) => call.path === '/auth/refresh')).toBe(true);
    expect(services.session.current?.accessToken).toBe('fresh');

    fireEvent.click(screen.getByRole('link', { name: 'Continue where you were' }));
    expect(await screen.findByText('Tasks page with 0 members')).toBeTruthy();
  });

  it('leaves other refusals to the page', async () => {
    renderApp({
      'GET /members': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Your role cannot do this.' } } }),
    });
    expect(await screen.findByText('Your role cannot do this.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Security' })).toBeNull();
  });
});
