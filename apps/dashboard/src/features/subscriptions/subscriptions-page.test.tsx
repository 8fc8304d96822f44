import type { Subscription } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RouteHandler } from '../../test/render-with-app';
import { errorAnswer, expectNoSeriousViolations, renderMarketplace } from '../marketplace/marketplace-test-fixtures';
import SubscriptionsPage from './subscriptions-page';
import { makeSubscription, makeUsageSubscription } from './subscriptions-test-fixtures';

const monthly = makeSubscription({ listing: { id: '0193d6a0-0000-7000-8000-00000000b001', title: 'Scout' } });
const metered = makeUsageSubscription({ listing: { id: '0193d6a0-0000-7000-8000-00000000b002', title: 'Editor' } });
const stopped = makeUsageSubscription(
  { listing: { id: '0193d6a0-0000-7000-8000-00000000b003', title: 'Writer' }, status: 'stopped', stoppedReason: 'spending-limit' },
  { unit: 'run', creditsPerUnit: 10, spendingLimitCredits: 100, spentThisPeriod: 110, unitsThisPeriod: 11 },
);
const cancelled = makeSubscription({
  listing: { id: '0193d6a0-0000-7000-8000-00000000b004', title: 'Planner' },
  monthlyCredits: 1500,
  cancelAtPeriodEnd: true,
});

function renderSubscriptions(routes: Record<string, RouteHandler> = {}, role: 'owner' | 'member' = 'owner') {
  return renderMarketplace(<SubscriptionsPage />, {
    at: '/marketplace/subscriptions',
    role,
    routes: {
      'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: [monthly, metered, stopped, cancelled] } }),
      ...routes,
    },
  });
}

const card = async (title: string) =>
  within((await screen.findAllByTestId('subscription')).find((each) => each.querySelector('h2')?.textContent === title) ?? document.body);

/** The fake server's PATCH: the subscription with what the body changed. */
const patched =
  (subscription: Subscription): RouteHandler =>
  ({ body }) => {
    const input = Object(body);
    const limit: unknown = Reflect.get(input, 'spendingLimitCredits');
    const cancel: unknown = Reflect.get(input, 'cancelAtPeriodEnd');
    return {
      status: 200,
      body: {
        ...subscription,
        ...(typeof cancel === 'boolean' ? { cancelAtPeriodEnd: cancel } : {}),
        ...(typeof limit === 'number' && subscription.usage
          ? {
              usage: { ...subscription.usage, spendingLimitCredits: limit },
              ...(limit > subscription.usage.spentThisPeriod ? { status: 'active', stoppedReason: null } : {}),
            }
          : {}),
      },
    };
  };

describe('the subscriptions page', () => {
  it('shows each subscription with its kind, state in words, period, price and, paid by use, what it cost against its limit', async () => {
    const view = renderSubscriptions();
    const scout = await card('Scout');
    expect(scout.getByRole('link', { name: 'Scout' }).getAttribute('href')).toBe(`/marketplace/listings/${monthly.listing.id}`);
    expect(scout.getByTestId('subscription-kind').textContent).toBe('Monthly');
    expect(scout.getByTestId('subscription-status').textContent).toBe('Active');
    expect(scout.getByTestId('subscription-price').textContent).toBe('900 credits a month');
    expect(scout.getByText('Renews')).toBeTruthy();
    expect(scout.getByText(/\(10 days ago\)$/)).toBeTruthy();
    expect(scout.getByText(/\(in 20 days\)$/)).toBeTruthy();
    expect(scout.queryByRole('progressbar')).toBeNull();
    expect(scout.getByRole('button', { name: 'Cancel at the end of the period (Scout)' })).toBeTruthy();

    const editor = await card('Editor');
    expect(editor.getByTestId('subscription-kind').textContent).toBe('Pay per use');
    expect(editor.getByTestId('subscription-status').textContent).toBe('Active');
    expect(editor.getByTestId('subscription-price').textContent).toBe('70 credits per task done');
    expect(editor.getByTestId('subscription-units').textContent).toBe('6 tasks done');
    expect(editor.getByTestId('spending-words').textContent).toBe('420 credits of 500 credits (84 %)');
    const bar = editor.getByRole('progressbar', { name: 'Spent this period' });
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]).toEqual(['420', '500']);
    expect(editor.getByTestId('spending').dataset.level).toBe('warning');
    expect(editor.getByText('Warning: over 80 % of the limit. The owners were told; it stops at 100 %.')).toBeTruthy();
    expect(editor.getByRole('button', { name: 'Change the spending limit (Editor)' })).toBeTruthy();

    const writer = await card('Writer');
    expect(writer.getByTestId('subscription-status').textContent).toBe('Stopped: reached its spending limit');
    expect(writer.getByText(/what was installed from it is paused until the limit is raised above what was spent/)).toBeTruthy();
    expect(writer.getByTestId('subscription-units').textContent).toBe('11 runs');
    expect(writer.getByTestId('spending').dataset.level).toBe('stopped');
    expect(writer.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');

    const planner = await card('Planner');
    expect(planner.getByTestId('subscription-status').textContent).toMatch(/^Ends on \S/);
    expect(planner.getByText(/^Cancelled: it works until the end of the period/)).toBeTruthy();
    expect(planner.getByRole('button', { name: 'Keep it (Planner)' })).toBeTruthy();
    expect(planner.queryByRole('button', { name: /^Cancel at the end/ })).toBeNull();

    expect(screen.getByText('4 subscriptions, newest first.')).toBeTruthy();
    expect(view.container.textContent).not.toContain(monthly.id);
    await expectNoSeriousViolations(view.container);
  });

  it('says a subscription that ran out of credits, and one that ended, in plain words with nothing to change on the ended one', async () => {
    renderSubscriptions({
      'GET /marketplace/subscriptions': () => ({
        status: 200,
        body: {
          data: [
            { ...monthly, status: 'stopped', stoppedReason: 'credits-insufficient' },
            { ...metered, status: 'ended', listing: { ...metered.listing, title: 'Gone' } },
          ],
        },
      }),
    });
    const scout = await card('Scout');
    expect(scout.getByTestId('subscription-status').textContent).toBe('Stopped: too few credits');
    expect(scout.getByText(/too few credits for the renewal: what was installed from it is paused/)).toBeTruthy();
    const gone = await card('Gone');
    expect(gone.getByTestId('subscription-status').textContent).toBe('Ended');
    expect(gone.queryByRole('button')).toBeNull();
  });

  it('cancels at the end of the period after confirming, says a refusal in plain words, and takes a cancellation back', async () => {
    let answer: RouteHandler = () => errorAnswer(409, 'SUBSCRIPTION_ENDED', 'This subscription has ended.');
    const view = renderSubscriptions({
      [`PATCH /marketplace/subscriptions/${monthly.id}`]: (request) => answer(request),
      [`PATCH /marketplace/subscriptions/${cancelled.id}`]: patched(cancelled),
    });
    fireEvent.click((await card('Scout')).getByRole('button', { name: 'Cancel at the end of the period (Scout)' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Cancel Scout at the end of the period?' }));
    expect(dialog.getByText(/^It works until .+ \(in 20 days\), then ends: it is not charged again/)).toBeTruthy();
    expect(view.calls.some((call) => call.method === 'PATCH')).toBe(false);
    await expectNoSeriousViolations(screen.getByRole('dialog'));

    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: cancel at the end of the period' }));
    expect((await dialog.findByRole('alert')).textContent).toBe(
      'This subscription has ended meanwhile: subscribe to the listing again to go on using it.',
    );

    answer = patched(monthly);
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: cancel at the end of the period' }));
    expect(await screen.findByText(/^Cancelled Scout: it works until .+, then ends\.$/)).toBeTruthy();
    expect(view.calls.filter((call) => call.path === `/marketplace/subscriptions/${monthly.id}`).at(-1)?.body).toEqual({
      cancelAtPeriodEnd: true,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The list is read again after the change, with the balance and the installations.
    await waitFor(() => expect(view.calls.filter((call) => call.path === '/marketplace/subscriptions').length).toBeGreaterThan(1));

    fireEvent.click((await card('Planner')).getByRole('button', { name: 'Keep it (Planner)' }));
    expect(await screen.findByText(/^Planner goes on: it renews .+\.$/)).toBeTruthy();
    expect(view.calls.find((call) => call.path === `/marketplace/subscriptions/${cancelled.id}`)?.body).toEqual({
      cancelAtPeriodEnd: false,
    });
  });

  it('changes a spending limit: a whole number checked first, then the PATCH, and a raised limit resumes a stopped one', async () => {
    const view = renderSubscriptions({ [`PATCH /marketplace/subscriptions/${stopped.id}`]: patched(stopped) });
    fireEvent.click((await card('Writer')).getByRole('button', { name: 'Change the spending limit (Writer)' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Change the spending limit of Writer' }));
    const field = dialog.getByLabelText('Monthly spending limit (credits)');
    expect(dialog.getByDisplayValue('100')).toBe(field);
    expect(dialog.getByText('This period cost 110 credits so far: a limit above that resumes it now.')).toBeTruthy();

    for (const [typed, problem] of [
      ['', 'Say the most a month may cost, in credits: a whole number such as 500.'],
      ['12.5', 'Type a whole number of credits, 1 or more, such as 500.'],
      ['0', 'Type a whole number of credits, 1 or more, such as 500.'],
      ['lots', 'Type a whole number of credits, 1 or more, such as 500.'],
    ] as const) {
      fireEvent.change(field, { target: { value: typed } });
      fireEvent.click(dialog.getByRole('button', { name: 'Save the limit' }));
      expect(await dialog.findByText(problem)).toBeTruthy();
      expect(field.getAttribute('aria-invalid')).toBe('true');
    }
    expect(view.calls.some((call) => call.method === 'PATCH')).toBe(false);
    await expectNoSeriousViolations(screen.getByRole('dialog'));

    fireEvent.change(field, { target: { value: ' 1,000 ' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Save the limit' }));
    expect(
      await screen.findByText(
        'The spending limit of Writer is now 1,000 credits a month. It resumed: what was installed from it works again.',
      ),
    ).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'PATCH')?.body).toEqual({ spendingLimitCredits: 1000 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('shows a member every subscription with nothing to change', async () => {
    renderSubscriptions({}, 'member');
    await card('Editor');
    expect(screen.getByText(/Its owners and admins can cancel them and change their limits\./)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Cancel at the end|^Keep it|^Change the spending limit/ })).toBeNull();
  });

  it('explains how to subscribe when the workspace subscribes to nothing', async () => {
    const view = renderSubscriptions({ 'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: [] } }) });
    expect(await screen.findByText('No subscriptions yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'marketplace' }).getAttribute('href')).toBe('/marketplace?pricing=subscription,usage');
    await expectNoSeriousViolations(view.container);
  });
});
