import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testId } from '../../test/fixtures';
import { makeTransaction } from '../credits/credits-test-fixtures';
import { expectNoSeriousViolations, renderMarketplace } from './marketplace-test-fixtures';
import MyListingsPage from './my-listings-page';

const me = { kind: 'user' as const, id: testId(), name: 'Ada Publisher', balance: 270, sales: 1 };
const org = { kind: 'organization' as const, id: testId(), name: 'Acme Labs', balance: 900, sales: 3 };
const listing = { id: testId(), title: 'Scout' };

const sale = makeTransaction({
  kind: 'purchase',
  amount: 270,
  description: 'Sold Scout to Beta',
  listing,
  by: { kind: 'user', name: 'Bea Buyer' },
  entries: [
    { account: { kind: 'workspace', id: testId(), name: 'Beta' }, amount: -300 },
    { account: { kind: 'publisher-user', id: me.id, name: 'Ada Publisher' }, amount: 270 },
    { account: { kind: 'platform', id: null, name: 'Platform fee' }, amount: 30 },
  ],
});
const refund = makeTransaction({ kind: 'refund', amount: -90, description: 'Refunded part of Scout', listing });
const payout = makeTransaction({
  kind: 'payout',
  amount: -500,
  description: 'Paid out to the bank',
  by: { kind: 'system', name: 'System' },
});

function renderMyListings() {
  const view = renderMarketplace(<MyListingsPage />, {
    at: '/marketplace/mine',
    routes: {
      'GET /marketplace/listings': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /marketplace/earnings': () => ({ status: 200, body: { publishers: [me, org], feePercent: 10 } }),
      'GET /marketplace/earnings/transactions': () => {
        const query = view.lastQuery('/marketplace/earnings/transactions');
        if (query.organizationId) return { status: 200, body: { data: [payout], nextCursor: null } };
        return query.cursor === 'page-2'
          ? { status: 200, body: { data: [refund], nextCursor: null } }
          : { status: 200, body: { data: [sale], nextCursor: 'page-2' } };
      },
    },
  });
  return view;
}

afterEach(() => vi.restoreAllMocks());

describe('the earnings history on My listings', () => {
  it('lists the person’s history in words with signed amounts, loads more by cursor and passes axe', async () => {
    const view = renderMyListings();
    const mine = within((await screen.findAllByTestId('earnings'))[0] as HTMLElement);
    expect(view.urls.some((url) => url.pathname.endsWith('/earnings/transactions'))).toBe(false);
    fireEvent.click(mine.getByRole('button', { name: 'Show history of your earnings' }));
    const history = within(await screen.findByRole('table', { name: 'Earnings history of Ada Publisher' }));
    const first = within(history.getAllByTestId('credit-transaction')[0] as HTMLElement);
    expect(first.getByText('Purchase')).toBeTruthy();
    expect(first.getByText('+270 credits')).toBeTruthy();
    expect(first.getByText('Sold Scout to Beta')).toBeTruthy();
    expect(first.getByRole('link', { name: 'Scout' }).getAttribute('href')).toBe(`/marketplace/listings/${listing.id}`);
    expect(first.getByText('5 minutes ago')).toBeTruthy();
    expect(view.lastQuery('/marketplace/earnings/transactions')).not.toHaveProperty('organizationId');
    await expectNoSeriousViolations(view.container);

    fireEvent.click(mine.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(view.lastQuery('/marketplace/earnings/transactions')).toMatchObject({ cursor: 'page-2' }));
    const second = within((await history.findAllByTestId('credit-transaction'))[1] as HTMLElement);
    expect(second.getByText('Refund')).toBeTruthy();
    expect(second.getByText('−90 credits')).toBeTruthy();
    expect(mine.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('asks for an organisation’s history by its id and downloads its CSV', async () => {
    const view = renderMyListings();
    const acme = within((await screen.findAllByTestId('earnings'))[1] as HTMLElement);
    fireEvent.click(acme.getByRole('button', { name: 'Show history of Acme Labs' }));
    const history = within(await screen.findByRole('table', { name: 'Earnings history of Acme Labs' }));
    expect(view.lastQuery('/marketplace/earnings/transactions')).toMatchObject({ organizationId: org.id });
    const row = within(history.getByTestId('credit-transaction'));
    expect(row.getByText('Paid out')).toBeTruthy();
    expect(row.getByText('−500 credits')).toBeTruthy();
    expect(row.getByText('Mission Control')).toBeTruthy();
    await expectNoSeriousViolations(view.container);

    const download = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('id,createdAt\r\n', { status: 200 }));
    URL.createObjectURL = vi.fn(() => 'blob:csv');
    URL.revokeObjectURL = vi.fn();
    fireEvent.click(acme.getByRole('button', { name: 'Download CSV of the earnings history of Acme Labs' }));
    await waitFor(() => expect(download).toHaveBeenCalled());
    const [url, init] = download.mock.calls[0] ?? [];
    expect(String(url)).toContain(`/api/v1/marketplace/earnings/transactions?format=csv&organizationId=${org.id}`);
    expect(new Headers(init?.headers).get('accept')).toBe('text/csv');
  });
});
