import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSession, testId, workspaceId } from '../../test/fixtures';
import type { RouteHandler } from '../../test/render-with-app';
import { errorAnswer, expectNoSeriousViolations, renderMarketplace } from '../marketplace/marketplace-test-fixtures';
import CreditsPage from './credits-page';
import { balanceOf, makeTransaction } from './credits-test-fixtures';

const listing = { id: testId(), title: 'Scout' };
const purchase = makeTransaction({
  kind: 'purchase',
  amount: -300,
  description: 'Bought Scout',
  listing,
  entries: [
    { account: { kind: 'workspace', id: workspaceId, name: 'Acme' }, amount: -300 },
    { account: { kind: 'publisher-user', id: testId(), name: 'Ada Publisher' }, amount: 270 },
    { account: { kind: 'platform', id: null, name: 'Platform fee' }, amount: 30 },
  ],
});

function renderCredits(options: { admin?: boolean; at?: string; routes?: Record<string, RouteHandler> } = {}) {
  return renderMarketplace(<CreditsPage />, {
    at: options.at ?? '/settings/credits',
    routes: {
      'GET /credits': () => ({ status: 200, body: balanceOf(700, 1000, 300) }),
      'GET /credits/transactions': () => ({ status: 200, body: { data: [purchase, makeTransaction()], nextCursor: null } }),
      'GET /marketplace/moderation/queue': () =>
        options.admin ? { status: 200, body: { data: [], nextCursor: null } } : errorAnswer(403, 'INSTANCE_ADMIN_REQUIRED', 'No'),
      'GET /workspaces': () => ({
        status: 200,
        body: { data: [{ workspace: makeSession('owner').workspace, role: 'owner' }] },
      }),
      ...options.routes,
    },
  });
}

afterEach(() => vi.restoreAllMocks());

describe('the credits page', () => {
  it('shows the balance and the history in words, with entries on expand and a CSV download', async () => {
    const view = renderCredits();
    const balance = within(await screen.findByTestId('credit-balance'));
    expect(balance.getByText('700 credits')).toBeTruthy();
    expect(balance.getByText('1,000 credits')).toBeTruthy();
    const rows = await screen.findAllByTestId('credit-transaction');
    expect(rows).toHaveLength(2);
    const first = within(rows[0] as HTMLElement);
    expect(first.getByText('Purchase')).toBeTruthy();
    expect(first.getByText('−300 credits')).toBeTruthy();
    expect(first.getByRole('link', { name: 'Scout' }).getAttribute('href')).toBe(`/marketplace/listings/${listing.id}`);
    expect(first.getByText('Olivia Owner')).toBeTruthy();
    expect(first.getByText('5 minutes ago')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('+1,000 credits')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Grant credits' })).toBeNull();
    expect(first.queryByRole('button', { name: /^Refund/ })).toBeNull();
    fireEvent.click(first.getByRole('button', { name: 'Entries of Bought Scout' }));
    const entries = within(await screen.findByRole('list', { name: 'Entries of Bought Scout' }));
    expect(entries.getByText('Ada Publisher')).toBeTruthy();
    expect(entries.getByText('+270 credits')).toBeTruthy();
    await expectNoSeriousViolations(view.container);

    const download = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('id,createdAt\r\n', { status: 200 }));
    URL.createObjectURL = vi.fn(() => 'blob:csv');
    URL.revokeObjectURL = vi.fn();
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(download).toHaveBeenCalled());
    const [url, init] = download.mock.calls[0] ?? [];
    expect(String(url)).toContain('/api/v1/credits/transactions?format=csv');
    expect(new Headers(init?.headers).get('accept')).toBe('text/csv');
  });

  it('filters by kind', async () => {
    const view = renderCredits();
    await screen.findAllByTestId('credit-transaction');
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'refund' } });
    await waitFor(() => expect(view.lastQuery('/credits/transactions')).toMatchObject({ kind: 'refund' }));
  });

  it('says so in plain words when the server takes no card payments, and after a checkout', async () => {
    renderCredits({
      at: '/settings/credits?checkout=cancelled',
      routes: { 'POST /credits/checkout': () => errorAnswer(409, 'PAYMENTS_NOT_CONFIGURED', 'No Stripe key') },
    });
    expect((await screen.findByTestId('checkout-message')).textContent).toBe('The payment was cancelled: nothing was charged.');
    const form = within(screen.getByRole('form', { name: 'Buy credits' }));
    fireEvent.change(form.getByLabelText('Credits to buy'), { target: { value: '50' } });
    fireEvent.click(form.getByRole('button', { name: 'Buy credits' }));
    expect(await form.findByText('Buy between 100 and 10,000,000 credits, as a whole number.')).toBeTruthy();
    fireEvent.change(form.getByLabelText('Credits to buy'), { target: { value: '2,000' } });
    fireEvent.click(form.getByRole('button', { name: 'Buy credits' }));
    expect((await form.findByRole('alert')).textContent).toBe(
      'This server takes no card payments; ask a server administrator for credits.',
    );
  });

  it('lets a server administrator grant credits to a workspace and refund part of a purchase', async () => {
    const view = renderCredits({
      admin: true,
      routes: {
        'POST /credits/grants': ({ body }) => ({ status: 201, body: makeTransaction({ amount: (body as { amount: number }).amount }) }),
        [`POST /credits/transactions/${purchase.id}/refund`]: ({ body }) => ({
          status: 201,
          body: makeTransaction({ kind: 'refund', amount: (body as { amount: number }).amount, refundOf: purchase.id, listing }),
        }),
      },
    });
    const grant = within(await screen.findByRole('form', { name: 'Grant credits' }));
    await waitFor(() => expect((grant.getByLabelText('Workspace') as HTMLSelectElement).value).toBe(workspaceId));
    fireEvent.click(grant.getByRole('button', { name: 'Grant credits' }));
    expect(await grant.findByText('Say why: the reason is shown in the workspace’s history.')).toBeTruthy();
    fireEvent.change(grant.getByLabelText('Credits to grant'), { target: { value: '5000' } });
    fireEvent.change(grant.getByLabelText('Reason'), { target: { value: 'Pilot' } });
    fireEvent.click(grant.getByRole('button', { name: 'Grant credits' }));
    expect(await screen.findByText('Granted 5,000 credits to Acme.')).toBeTruthy();
    expect(view.calls.find((call) => call.path === '/credits/grants')?.body).toEqual({ workspaceId, amount: 5000, reason: 'Pilot' });

    const row = within((await screen.findAllByTestId('credit-transaction'))[0] as HTMLElement);
    fireEvent.click(row.getByRole('button', { name: 'Refund Scout' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Refund Scout' }));
    fireEvent.change(dialog.getByLabelText('Credits to refund (optional)'), { target: { value: '100' } });
    fireEvent.change(dialog.getByLabelText('Reason for the refund'), { target: { value: 'Half a day lost' } });
    await expectNoSeriousViolations(screen.getByRole('dialog'));
    fireEvent.click(dialog.getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('Refunded 100 credits of Scout.')).toBeTruthy();
    expect(view.calls.find((call) => call.path.endsWith('/refund'))?.body).toEqual({ amount: 100, reason: 'Half a day lost' });
  });
});
