import type { Listing, Subscription } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RouteHandler } from '../../test/render-with-app';
import { balanceOf, makeTransaction } from '../credits/credits-test-fixtures';
import {
  errorAnswer,
  expectNoSeriousViolations,
  makeInstallation,
  makeListing,
  renderListingPage,
} from '../marketplace/marketplace-test-fixtures';
import { makeSubscription, makeUsageSubscription } from './subscriptions-test-fixtures';

function renderListing(listing: Listing, routes: Record<string, RouteHandler>) {
  const base = `/marketplace/listings/${listing.id}`;
  return renderListingPage(listing, {
    'GET /credits': () => ({ status: 200, body: balanceOf(1000) }),
    [`POST ${base}/install`]: () => ({ status: 201, body: makeInstallation(listing) }),
    ...routes,
  });
}

const purchases = (view: ReturnType<typeof renderListing>) => view.calls.filter((call) => call.path.endsWith('/purchase'));

describe('subscribing to a listing paid by use', () => {
  it('says the price per task, asks for a monthly spending limit (required, a whole number), subscribes with it, then offers Install', async () => {
    const listing = makeListing({ pricing: { model: 'usage', unit: 'task', creditsPerUnit: 70 } });
    let subscriptions: Subscription[] = [];
    const view = renderListing(listing, {
      'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: subscriptions } }),
      [`POST /marketplace/listings/${listing.id}/purchase`]: ({ body }) => {
        const limit = Number(Reflect.get(Object(body), 'spendingLimitCredits'));
        if (!limit) return errorAnswer(400, 'VALIDATION_FAILED', 'spendingLimitCredits is required');
        subscriptions = [
          makeUsageSubscription(
            { listing: { id: listing.id, title: listing.title } },
            { creditsPerUnit: 70, spendingLimitCredits: limit, spentThisPeriod: 0, unitsThisPeriod: 0 },
          ),
        ];
        return {
          status: 201,
          body: { listingId: listing.id, workspaceId: listing.id, balance: 1000, transaction: null, subscription: subscriptions[0] },
        };
      },
    });
    const subscribe = await screen.findByRole('button', { name: 'Subscribe, pay per use' });
    expect(
      screen.getByText(/^70 credits per task done, charged as what Acme installs from it works, up to a monthly spending limit/),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
    await expectNoSeriousViolations(view.container);

    fireEvent.click(subscribe);
    const dialog = within(await screen.findByRole('dialog', { name: 'Subscribe to Scout?' }));
    expect(
      dialog.getByText(
        'Nothing is charged now: 70 credits per task done; you are warned at 80 % of the monthly limit and it stops at 100 %.',
      ),
    ).toBeTruthy();
    const field = dialog.getByLabelText('Monthly spending limit (credits)');
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: subscribe' }));
    expect(await dialog.findByText('Say the most a month may cost, in credits: a whole number such as 500.')).toBeTruthy();
    fireEvent.change(field, { target: { value: '-5' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: subscribe' }));
    expect(await dialog.findByText('Type a whole number of credits, 1 or more, such as 500.')).toBeTruthy();
    expect(purchases(view)).toHaveLength(0);
    await expectNoSeriousViolations(screen.getByRole('dialog'));

    fireEvent.change(field, { target: { value: '500' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: subscribe' }));
    expect(
      await screen.findByText('Subscribed to Scout, paid by use up to 500 credits a month: nothing is charged until it is used.'),
    ).toBeTruthy();
    expect(purchases(view).map((call) => call.body)).toEqual([{ spendingLimitCredits: 500 }]);
    const period = await screen.findByTestId('subscription-period');
    expect(period.textContent).toMatch(/^Subscribed, pay per use: 0 credits of 500 credits spent this period, which ends .+, in 20 days\./);
    expect(within(period).getByRole('link', { name: 'The workspace’s subscriptions' }).getAttribute('href')).toBe(
      '/marketplace/subscriptions',
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Install into Acme' }));
    expect(await screen.findByTestId('installed-result')).toBeTruthy();
  });
});

describe('subscribing to a monthly listing', () => {
  it('says the first month is charged now and then every month, subscribes, says when it renews, then offers Install', async () => {
    const listing = makeListing({ pricing: { model: 'subscription', monthlyCredits: 900 } });
    const periodEnd = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const view = renderListing(listing, {
      'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: [] } }),
      [`POST /marketplace/listings/${listing.id}/purchase`]: () => ({
        status: 201,
        body: {
          listingId: listing.id,
          workspaceId: listing.id,
          balance: 100,
          transaction: makeTransaction({ kind: 'subscription', amount: -900, listing: { id: listing.id, title: listing.title } }),
          subscription: makeSubscription({
            listing: { id: listing.id, title: listing.title },
            periodStart: new Date().toISOString(),
            periodEnd,
          }),
        },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Subscribe for 900 credits a month' }));
    expect(
      screen.getByText(/^The first month is charged now, then every month until you cancel it on the Subscriptions page\./),
    ).toBeTruthy();
    const dialog = within(await screen.findByRole('dialog', { name: 'Subscribe to Scout?' }));
    expect(
      dialog.getByText(
        'The first month, 900 credits, is charged now, then 900 credits every month until you cancel: Acme will have 100 credits left.',
      ),
    ).toBeTruthy();
    expect(purchases(view)).toHaveLength(0);
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: subscribe for 900 credits a month' }));
    expect(await screen.findByText(/^Subscribed to Scout for 900 credits a month, renews .+: Acme has 100 credits left\.$/)).toBeTruthy();
    expect(purchases(view)).toHaveLength(1);
    // Nothing to say for a monthly one: no spending limit.
    expect(purchases(view)[0]?.body).toEqual({});
    const period = await screen.findByTestId('subscription-period');
    expect(period.textContent).toMatch(/^Subscribed, renews .+, in 30 days\. The workspace’s subscriptions$/);
    fireEvent.click(await screen.findByRole('button', { name: 'Install into Acme' }));
    expect(await screen.findByTestId('installed-result')).toBeTruthy();
  });

  it('offers Install at once to a workspace that subscribes, and says why a stopped subscription blocks it', async () => {
    const listing = makeListing({ pricing: { model: 'subscription', monthlyCredits: 900 } });
    let subscriptions = [makeSubscription({ listing: { id: listing.id, title: listing.title } })];
    const view = renderListing(listing, { 'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: subscriptions } }) });
    await screen.findByRole('button', { name: 'Install into Acme' });
    expect((await screen.findByTestId('subscription-period')).textContent).toMatch(/^Subscribed, renews .+, in 20 days\./);
    expect(screen.queryByRole('button', { name: /^Subscribe/ })).toBeNull();
    view.unmount();

    subscriptions = [
      makeSubscription({ listing: { id: listing.id, title: listing.title }, status: 'stopped', stoppedReason: 'credits-insufficient' }),
    ];
    const again = renderListing(listing, { 'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: subscriptions } }) });
    const stopped = within(await screen.findByTestId('subscription-stopped'));
    expect(stopped.getByText('Stopped: too few credits.')).toBeTruthy();
    expect(stopped.getByRole('link', { name: 'Change it on the Subscriptions page' }).getAttribute('href')).toBe(
      '/marketplace/subscriptions',
    );
    expect(screen.queryByRole('button', { name: /^Install|^Subscribe/ })).toBeNull();
    await expectNoSeriousViolations(again.container);
  });

  it('says so when the subscription stopped between reading the page and installing, and shows why', async () => {
    const listing = makeListing({ pricing: { model: 'usage', unit: 'run', creditsPerUnit: 5 } });
    let subscription = makeUsageSubscription({ listing: { id: listing.id, title: listing.title } }, { unit: 'run', creditsPerUnit: 5 });
    renderListing(listing, {
      'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: [subscription] } }),
      [`POST /marketplace/listings/${listing.id}/install`]: () => {
        subscription = { ...subscription, status: 'stopped', stoppedReason: 'spending-limit' };
        return errorAnswer(402, 'LISTING_PAYMENT_REQUIRED', 'Scout is a paid listing', { pricing: listing.pricing });
      },
    });
    expect((await screen.findByTestId('subscription-period')).textContent).toMatch(
      /^Subscribed, pay per use: 420 credits of 500 credits spent this period/,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Install into Acme' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The subscription stopped or ended meanwhile: what to do now is shown above.',
    );
    const stopped = within(await screen.findByTestId('subscription-stopped'));
    expect(stopped.getByText('Stopped: reached its spending limit.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
  });

  it('offers Subscribe again once the subscription ended', async () => {
    const listing = makeListing({ pricing: { model: 'usage', unit: 'thousand-tokens', creditsPerUnit: 3 } });
    renderListing(listing, {
      'GET /marketplace/subscriptions': () => ({
        status: 200,
        body: { data: [makeUsageSubscription({ listing: { id: listing.id, title: listing.title }, status: 'ended' })] },
      }),
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Subscribe, pay per use' })).toBeTruthy());
    expect(screen.getByText(/^3 credits per 1,000 tokens, charged as/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
  });
});
