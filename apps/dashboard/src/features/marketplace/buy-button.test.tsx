import type { Subscription } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { balanceOf, makeTransaction } from '../credits/credits-test-fixtures';
import { makeSubscription } from '../subscriptions/subscriptions-test-fixtures';
import { errorAnswer, expectNoSeriousViolations, makeInstallation, makeListing, renderListingPage } from './marketplace-test-fixtures';

const renderListing = renderListingPage;

describe('buying a one-off listing', () => {
  it('shows the balance, confirms first, buys, then offers Install', async () => {
    const listing = makeListing({ pricing: { model: 'one-off', priceCredits: 300 } });
    let balance = 1000;
    const view = renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(balance) }),
      [`POST /marketplace/listings/${listing.id}/purchase`]: () => {
        balance = 700;
        return {
          status: 201,
          body: {
            listingId: listing.id,
            workspaceId: listing.id,
            balance: 700,
            transaction: makeTransaction({ kind: 'purchase', amount: -300, listing: { id: listing.id, title: listing.title } }),
          },
        };
      },
      [`POST /marketplace/listings/${listing.id}/install`]: () => ({ status: 201, body: makeInstallation(listing) }),
    });
    const buy = await screen.findByRole('button', { name: 'Buy for 300 credits' });
    expect((await screen.findByText('Acme has 1,000 credits.')).textContent).toBe('Acme has 1,000 credits.');
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
    await expectNoSeriousViolations(view.container);
    fireEvent.click(buy);
    const dialog = within(await screen.findByRole('dialog', { name: `Buy ${listing.title}?` }));
    expect(dialog.getByText('It costs 300 credits: Acme will have 700 credits left.')).toBeTruthy();
    expect(view.calls.some((call) => call.path.endsWith('/purchase'))).toBe(false);
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: buy for 300 credits' }));
    expect(await screen.findByText('Bought Scout for 300 credits: Acme has 700 credits left.')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Install into Acme' }));
    expect(await screen.findByTestId('installed-result')).toBeTruthy();
  });

  it('says how many credits are missing and links to the credits page', async () => {
    const listing = makeListing({ pricing: { model: 'one-off', priceCredits: 500 } });
    renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(200) }),
      [`POST /marketplace/listings/${listing.id}/purchase`]: () =>
        errorAnswer(402, 'CREDITS_INSUFFICIENT', 'Not enough credits', { balance: 200, needed: 500 }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Buy for 500 credits' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByText('It costs 500 credits, and Acme has 200 credits.')).toBeTruthy();
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: buy for 500 credits' }));
    const alert = within(await screen.findByRole('alert'));
    expect(alert.getByText('You need 300 credits more: the workspace has 200 credits and this costs 500 credits.')).toBeTruthy();
    expect(alert.getByRole('link', { name: 'Get credits on the credits page' }).getAttribute('href')).toBe('/settings/credits');
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
  });

  it('offers Install at once for a listing the workspace bought', async () => {
    const listing = makeListing({ pricing: { model: 'one-off', priceCredits: 300 } });
    renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(700) }),
      'GET /credits/transactions': ({ path }) => ({
        status: 200,
        body: {
          data: path ? [makeTransaction({ kind: 'purchase', amount: -300, listing: { id: listing.id, title: listing.title } })] : [],
          nextCursor: null,
        },
      }),
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Install into Acme' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: /^Buy/ })).toBeNull();
  });

  it('reads the subscriptions again when the server says the workspace subscribes already, then offers Install', async () => {
    const listing = makeListing({ pricing: { model: 'subscription', monthlyCredits: 900 } });
    let subscriptions: Subscription[] = [];
    const view = renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(2000) }),
      'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: subscriptions } }),
      [`POST /marketplace/listings/${listing.id}/purchase`]: () => {
        // Someone else in the workspace subscribed meanwhile.
        subscriptions = [makeSubscription({ listing: { id: listing.id, title: listing.title } })];
        return errorAnswer(409, 'LISTING_ALREADY_BOUGHT', 'This workspace already subscribes to Scout.');
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Subscribe for 900 credits a month' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirm: subscribe for 900 credits a month' }));
    expect(await screen.findByRole('button', { name: 'Install into Acme' })).toBeTruthy();
    expect((await screen.findByTestId('subscription-period')).textContent).toMatch(/^Subscribed, renews /);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(view.calls.filter((call) => call.path === '/marketplace/subscriptions').length).toBeGreaterThan(1);
  });
});
