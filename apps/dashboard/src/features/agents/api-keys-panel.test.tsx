import type { ApiKey } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { createFakeApiKeys } from '../../test/fake-api-keys';
import { makeApiKey, testId } from '../../test/fixtures';
import { type RouteHandler, renderWithApp } from '../../test/render-with-app';
import { describeLastUse, describeLifetime, describeRestrictions, parseAddressList } from './api-key-wording';
import { ApiKeysPanel } from './api-keys-panel';

const agentId = testId();
const base = `/agents/${agentId}/api-keys`;

function renderPanel(initial: ApiKey[] = [], override: Record<string, RouteHandler> = {}) {
  const fake = createFakeApiKeys(base, initial, override);
  const view = renderWithApp(
    <>
      <ApiKeysPanel owner={{ kind: 'agent', agentId }} heading="API keys" />
      <Toaster />
    </>,
    fake.routes,
  );
  return { ...view, fake };
}

const rowOf = async (text: string | RegExp) => {
  const row = (await screen.findByText(text)).closest('li');
  if (!row) throw new Error(`No key row shows ${text}`);
  return within(row);
};

/** The same bar as the browser tests (e2e/axe.ts): no serious or critical violation (contrast is checked there). */
async function expectNoSeriousViolations(container: HTMLElement) {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
}

describe('API key wording', () => {
  const now = Date.parse('2026-01-01T09:00:00.000Z');

  it('says where and when a key was last used, and what it is limited to', () => {
    const key = makeApiKey({
      lastUsedAt: '2026-01-01T08:57:00.000Z',
      lastUsedIp: '10.1.2.3',
      allowedIps: ['10.1.0.0/16'],
      rateLimitPerMinute: 600,
      requireSignature: true,
    });
    expect(describeLastUse(key, now)).toBe('used 3 minutes ago from 10.1.2.3');
    expect(describeRestrictions(key)).toBe('only from 10.1.0.0/16 · 600 requests/min · signed requests only');
    expect(describeLastUse(makeApiKey(), now)).toBe('never used');
    expect(describeRestrictions(makeApiKey())).toBe('no restrictions');
    expect(describeRestrictions(makeApiKey({ rateLimitPerMinute: 12_000, scopes: ['task:read'] }))).toBe(
      '12,000 requests/min · limited to 1 permission',
    );
  });

  it('says how long a key has left, a rotated one in its grace, and a revoked one', () => {
    expect(describeLifetime(makeApiKey({ expiresAt: '2026-01-01T09:55:00.000Z', replacedById: testId() }), now)).toBe(
      'expires in 55 minutes (rotated)',
    );
    expect(describeLifetime(makeApiKey({ revokedAt: '2026-01-01T07:00:00.000Z' }), now)).toBe('revoked 2 hours ago');
    expect(describeLifetime(makeApiKey({ expiresAt: '2026-01-01T08:00:00.000Z' }), now)).toBe('expired 1 hour ago');
    expect(describeLifetime(makeApiKey(), now)).toBe('never expires');
  });

  it('reads addresses separated by commas or new lines', () => {
    expect(parseAddressList(' 10.1.0.0/16,\n203.0.113.7\n\n2001:db8::1 , ')).toEqual(['10.1.0.0/16', '203.0.113.7', '2001:db8::1']);
  });
});

describe('ApiKeysPanel', () => {
  it('creates a key with an address list, a rate limit and signed requests, then shows its secret and its restrictions', async () => {
    const view = renderPanel();
    expect(await screen.findByText('No keys yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '+ New key' }));
    const form = within(screen.getByRole('form', { name: 'New API key' }));
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'deploy' } });
    fireEvent.change(form.getByLabelText('Allowed addresses (optional)'), { target: { value: '10.1.0.0/16,\n203.0.113.7' } });
    fireEvent.change(form.getByLabelText('Requests per minute (optional)'), { target: { value: '600' } });
    fireEvent.click(form.getByLabelText('Require signed requests'));
    await expectNoSeriousViolations(view.container);
    fireEvent.click(form.getByRole('button', { name: 'Create key' }));

    expect((await screen.findByTestId('api-key-secret')).textContent).toBe('mc_created_secret_1');
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: base,
        body: { name: 'deploy', requireSignature: true, allowedIps: ['10.1.0.0/16', '203.0.113.7'], rateLimitPerMinute: 600 },
      },
    ]);
    const row = await rowOf('only from 10.1.0.0/16, 203.0.113.7 · 600 requests/min · signed requests only');
    expect(row.getByText('never used')).toBeTruthy();
    expect(row.getByText('never expires')).toBeTruthy();
    // A key that must be signed: the curl snippet warns that plain curl is refused.
    expect(within(screen.getByRole('region', { name: 'curl' })).getByText(/plain curl does not make/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'New API key' })).toBeNull();
    await expectNoSeriousViolations(view.container);
    fireEvent.click(screen.getByRole('button', { name: 'Done, I stored the key' }));
    expect(screen.queryByTestId('api-key-reveal')).toBeNull();
  });

  it('says on the field which address is wrong, without sending anything', async () => {
    const view = renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: '+ New key' }));
    const addresses = screen.getByLabelText('Allowed addresses (optional)');
    fireEvent.change(addresses, { target: { value: '10.1.0.0/16, 10.2.0.0/33' } });
    fireEvent.change(screen.getByLabelText('Requests per minute (optional)'), { target: { value: '1.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const message = await screen.findByText(/“10\.2\.0\.0\/33” is not an address or a range/);
    expect(addresses.getAttribute('aria-invalid')).toBe('true');
    expect(addresses.getAttribute('aria-describedby')).toContain(message.id);
    expect(screen.getByText('The limit is a whole number of requests a minute, from 1 to 1,000,000.')).toBeTruthy();
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([]);
  });

  it('puts a validation error of the server on the field it names', async () => {
    renderPanel([], {
      [`POST ${base}`]: () => ({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid body: body.rateLimitPerMinute Too big: expected number to be <=1000000. Fix the request and try again.',
            details: { issues: [{ path: 'body.rateLimitPerMinute', message: 'Too big: expected number to be <=1000000' }] },
          },
        },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: '+ New key' }));
    const rate = screen.getByLabelText('Requests per minute (optional)');
    fireEvent.change(rate, { target: { value: '600' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('The limit is a whole number of requests a minute, from 1 to 1,000,000.')).toBeTruthy();
    expect(rate.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('rotates with “Stop the old key now”: grace 0, the new secret, and the old key shown revoked', async () => {
    const old = makeApiKey({ name: 'laptop', prefix: 'mc_old0' });
    const view = renderPanel([old]);
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate laptop (mc_old0…)' }));
    const form = within(screen.getByRole('form', { name: 'Rotate laptop' }));
    // The server's default, an hour, is chosen first.
    expect(form.getByLabelText('1 hour')).toHaveProperty('checked', true);
    fireEvent.click(form.getByLabelText('Stop the old key now'));
    await expectNoSeriousViolations(view.container);
    fireEvent.click(form.getByRole('button', { name: 'Rotate key' }));

    expect((await screen.findByTestId('api-key-secret')).textContent).toBe('mc_rotated_secret_1');
    expect(screen.getByText('The old key stopped working just now.')).toBeTruthy();
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([
      { method: 'POST', path: `${base}/${old.id}/rotate`, body: { graceSeconds: 0 } },
    ]);
    const oldRow = await rowOf('mc_old0…');
    await waitFor(() => expect(oldRow.getByText(/^revoked .* \(rotated\)$/)).toBeTruthy());
    expect(oldRow.queryByRole('button')).toBeNull();
    expect((await rowOf('mc_new0…')).getByRole('button', { name: 'Rotate laptop (mc_new0…)' })).toBeTruthy();
  });

  it('rotates with an hour of grace: the old key keeps working, marked rotated, and can still be revoked at once', async () => {
    const old = makeApiKey({ name: 'laptop', prefix: 'mc_old1', lastUsedAt: new Date().toISOString(), lastUsedIp: '10.1.2.3' });
    const view = renderPanel([old]);
    expect((await rowOf('mc_old1…')).getByText('used just now from 10.1.2.3')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Rotate laptop (mc_old1…)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));

    expect((await screen.findByTestId('api-key-secret')).textContent).toBe('mc_rotated_secret_1');
    expect(
      screen.getByText(/^The old key keeps working until .+ \(in (1 hour|60 minutes)\): put the new key in place before then\.$/),
    ).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'POST')?.body).toEqual({ graceSeconds: 3600 });
    const oldRow = await rowOf('mc_old1…');
    await waitFor(() => expect(oldRow.getByText(/^expires in (1 hour|60 minutes) \(rotated\)$/)).toBeTruthy());
    expect(oldRow.getByText('rotated')).toBeTruthy();
    expect(oldRow.queryByRole('button', { name: /^Rotate/ })).toBeNull();
    fireEvent.click(oldRow.getByRole('button', { name: 'Revoke laptop (mc_old1…)' }));
    await waitFor(() => expect(view.calls.some((call) => call.method === 'DELETE' && call.path === `${base}/${old.id}`)).toBe(true));
    await waitFor(() => expect(oldRow.getByText(/^revoked .* \(rotated\)$/)).toBeTruthy());
  });

  it('says in plain words that a key rotated meanwhile cannot be rotated again (409), and refreshes the list', async () => {
    const old = makeApiKey({ name: 'ci', prefix: 'mc_ci00' });
    const view = renderPanel([old], {
      [`POST ${base}/${old.id}/rotate`]: () => ({
        status: 409,
        body: {
          error: {
            code: 'API_KEY_NOT_ROTATABLE',
            message: `This key was already rotated; rotate its successor (${testId()}) instead.`,
            details: { replacedById: testId() },
          },
        },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate ci (mc_ci00…)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Rotate key' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This key was already rotated, perhaps by someone else a moment ago. Rotate its newer key (same name, in the list) instead.',
    );
    expect(screen.queryByTestId('api-key-reveal')).toBeNull();
    await waitFor(() => expect(view.calls.filter((call) => call.method === 'GET' && call.path === base)).toHaveLength(2));
  });
});
