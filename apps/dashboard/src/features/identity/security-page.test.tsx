import type { MfaStatus } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeApiKeys } from '../../test/fake-api-keys';
import { makeApiKey, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import SecurityPage from './security-page';

const mfaOff: MfaStatus = { totpEnabled: false, totpEnabledAt: null, enrolmentPending: false, recoveryCodesRemaining: 0 };

describe('SecurityPage: your API keys', () => {
  it('lists, creates, rotates and revokes the person’s own keys through /auth/api-keys', async () => {
    const mine = makeApiKey({
      name: 'backup-script',
      prefix: 'mc_mine',
      owner: { kind: 'user', id: testId() },
      allowedIps: ['203.0.113.7'],
    });
    const fake = createFakeApiKeys('/auth/api-keys', [mine], { 'GET /auth/mfa': () => ({ status: 200, body: mfaOff }) });
    const view = renderWithApp(<SecurityPage />, fake.routes);
    const panel = within(await screen.findByRole('region', { name: 'Your API keys' }));
    expect(await panel.findByText('only from 203.0.113.7')).toBeTruthy();

    fireEvent.click(panel.getByRole('button', { name: '+ New key' }));
    fireEvent.change(panel.getByLabelText('Name'), { target: { value: 'reports' } });
    fireEvent.change(panel.getByLabelText('Requests per minute (optional)'), { target: { value: '60' } });
    fireEvent.click(panel.getByRole('button', { name: 'Create key' }));
    expect((await panel.findByTestId('api-key-secret')).textContent).toBe('mc_created_secret_1');
    // A personal key acts as its owner: no agent heartbeat among the snippets.
    expect(panel.getByText('Use it with one of these:')).toBeTruthy();
    expect(panel.getByRole('region', { name: 'curl' }).textContent).not.toContain('heartbeat');
    expect(await panel.findByText('60 requests/min')).toBeTruthy();

    fireEvent.click(panel.getByRole('button', { name: 'Rotate backup-script (mc_mine…)' }));
    fireEvent.click(panel.getByLabelText('1 day'));
    fireEvent.click(panel.getByRole('button', { name: 'Rotate key' }));
    await waitFor(() => expect(panel.getByTestId('api-key-secret').textContent).toBe('mc_rotated_secret_2'));
    expect(panel.getByText(/^The old key keeps working until .+ \((in 24 hours|tomorrow)\)/)).toBeTruthy();

    fireEvent.click(await panel.findByRole('button', { name: 'Revoke reports (mc_new0…)' }));
    await waitFor(() => expect(fake.keys().find((key) => key.name === 'reports')?.revokedAt).not.toBeNull());

    expect(view.calls.filter((call) => call.method !== 'GET').map(({ method, path, body }) => [method, path, body])).toEqual([
      ['POST', '/auth/api-keys', { name: 'reports', requireSignature: false, rateLimitPerMinute: 60 }],
      ['POST', `/auth/api-keys/${mine.id}/rotate`, { graceSeconds: 86_400 }],
      ['DELETE', `/auth/api-keys/${fake.keys().find((key) => key.name === 'reports')?.id}`, undefined],
    ]);
  });
});
