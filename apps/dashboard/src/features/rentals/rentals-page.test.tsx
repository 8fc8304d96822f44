import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RouteHandler } from '../../test/render-with-app';
import { errorAnswer, expectNoSeriousViolations, renderMarketplace } from '../marketplace/marketplace-test-fixtures';
import RentalsPage from './rentals-page';
import { makeDispute, makeRental } from './rentals-test-fixtures';

const running = makeRental({ listing: { id: '0193d6a0-0000-7000-8000-00000000a001', title: 'Scout' } });
const disputed = makeRental({
  listing: { id: '0193d6a0-0000-7000-8000-00000000a002', title: 'Editor' },
  status: 'disputed',
  disputeId: '0193d6a0-0000-7000-8000-00000000d001',
});
const refunded = makeRental({
  listing: { id: '0193d6a0-0000-7000-8000-00000000a003', title: 'Writer' },
  status: 'refunded',
  escrowCredits: 0,
  accessEnded: true,
  startsAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
  endsAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
});

function renderRentals(routes: Record<string, RouteHandler> = {}, role: 'owner' | 'member' = 'owner') {
  return renderMarketplace(<RentalsPage />, {
    at: '/marketplace/rentals',
    role,
    routes: { 'GET /marketplace/rentals': () => ({ status: 200, body: { data: [running, disputed, refunded] } }), ...routes },
  });
}

const card = async (title: string) =>
  within((await screen.findAllByTestId('rental')).find((each) => each.textContent?.includes(title)) ?? document.body);

describe('the rentals page', () => {
  it('lists each rental with its listing, state in words, period, price and escrow', async () => {
    const view = renderRentals();
    const scout = await card('Scout');
    expect(scout.getByRole('link', { name: 'Scout' }).getAttribute('href')).toBe(`/marketplace/listings/${running.listing.id}`);
    expect(scout.getByTestId('rental-status').textContent).toBe('Running');
    expect(scout.getByText(/\(2 days ago\)$/)).toBeTruthy();
    expect(scout.getByText(/\(in 5 days\)$/)).toBeTruthy();
    expect(scout.getByTestId('rental-escrow').textContent).toBe('300 credits');
    expect(scout.getByRole('button', { name: 'Open a dispute over Scout' })).toBeTruthy();

    const editor = await card('Editor');
    expect(editor.getByTestId('rental-status').textContent).toBe('Disputed');
    expect(editor.queryByRole('button', { name: /^Open a dispute/ })).toBeNull();
    expect(editor.getByRole('link', { name: 'See the dispute over Editor' }).getAttribute('href')).toBe('/marketplace/disputes');

    const writer = await card('Writer');
    expect(writer.getByTestId('rental-status').textContent).toBe('Refunded');
    expect(writer.getByTestId('rental-escrow').textContent).toBe('0 credits');
    expect(writer.getByText('The access has ended: what was installed from it is paused.')).toBeTruthy();
    expect(writer.getByText('Ended')).toBeTruthy();
    expect(screen.getByText('3 rentals, newest first.')).toBeTruthy();
    expect(view.container.textContent).not.toContain(running.id);
    await expectNoSeriousViolations(view.container);
  });

  it('opens a dispute with a reason, checked first, and says a refusal in plain words', async () => {
    let answer: RouteHandler = ({ body }) => ({
      status: 201,
      body: makeDispute(running, { reason: String(Reflect.get(Object(body), 'reason')) }),
    });
    const view = renderRentals({ 'POST /marketplace/disputes': (request) => answer(request) });
    fireEvent.click((await card('Scout')).getByRole('button', { name: 'Open a dispute over Scout' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Dispute Scout' }));
    expect(dialog.getByText(/Its 300 credits stay in escrow/)).toBeTruthy();
    fireEvent.click(dialog.getByRole('button', { name: 'Open the dispute' }));
    expect(await dialog.findByText('Say what went wrong: the administrator who decides reads it.')).toBeTruthy();
    expect(view.calls.some((call) => call.method === 'POST')).toBe(false);
    await expectNoSeriousViolations(screen.getByRole('dialog'));

    answer = () => errorAnswer(409, 'DISPUTE_NOT_ALLOWED', 'This rental is released', { status: 'released' });
    fireEvent.change(dialog.getByLabelText('What went wrong'), { target: { value: '  It never answered a task.  ' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Open the dispute' }));
    expect((await dialog.findByRole('alert')).textContent).toBe(
      'This rental is paid to the publisher already: its price is no longer held in escrow, so it cannot be disputed. Ask a server administrator for a refund instead.',
    );

    answer = ({ body }) => ({ status: 201, body: makeDispute(running, { reason: String(Reflect.get(Object(body), 'reason')) }) });
    fireEvent.click(dialog.getByRole('button', { name: 'Open the dispute' }));
    expect(await screen.findByText(/^Opened a dispute over Scout: its 300 credits stay in escrow/)).toBeTruthy();
    expect(view.calls.filter((call) => call.path === '/marketplace/disputes').at(-1)?.body).toEqual({
      rentalId: running.id,
      reason: 'It never answered a task.',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The rentals are read again after the dispute, with the balance.
    await waitFor(() => expect(view.calls.filter((call) => call.path === '/marketplace/rentals').length).toBeGreaterThan(1));
  });

  it('offers no dispute to a member', async () => {
    renderRentals({}, 'member');
    await card('Scout');
    expect(screen.queryByRole('button', { name: /^Open a dispute/ })).toBeNull();
  });

  it('explains how to rent when the workspace rents nothing', async () => {
    const view = renderRentals({ 'GET /marketplace/rentals': () => ({ status: 200, body: { data: [] } }) });
    expect(await screen.findByText('No rentals yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'marketplace' }).getAttribute('href')).toBe('/marketplace?pricing=rental');
    await expectNoSeriousViolations(view.container);
  });
});
