import type { Rental } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { balanceOf, makeTransaction } from '../credits/credits-test-fixtures';
import { expectNoSeriousViolations, makeInstallation, makeListing, renderListingPage } from '../marketplace/marketplace-test-fixtures';
import { makeRental } from './rentals-test-fixtures';

const renderListing = renderListingPage;

describe('renting a listing', () => {
  it('says the period and price, confirms, rents into escrow, says until when, then offers Install', async () => {
    const listing = makeListing({ pricing: { model: 'rental', days: 7, priceCredits: 300 } });
    const endsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    let rentals: Rental[] = [];
    let balance = 1000;
    const view = renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(balance) }),
      'GET /marketplace/rentals': () => ({ status: 200, body: { data: rentals } }),
      [`POST /marketplace/listings/${listing.id}/purchase`]: () => {
        balance = 700;
        rentals = [makeRental({ listing: { id: listing.id, title: listing.title }, endsAt })];
        return {
          status: 201,
          body: {
            listingId: listing.id,
            workspaceId: listing.id,
            balance: 700,
            transaction: makeTransaction({ kind: 'purchase', amount: -300, listing: { id: listing.id, title: listing.title } }),
            rental: { id: rentals[0]?.id, endsAt, status: 'active' },
          },
        };
      },
      [`POST /marketplace/listings/${listing.id}/install`]: () => ({ status: 201, body: makeInstallation(listing) }),
    });
    const rent = await screen.findByRole('button', { name: 'Rent for 7 days for 300 credits' });
    expect(screen.getByText(/^It installs into Acme for 7 days\. The price is held in escrow until the period ends/)).toBeTruthy();
    expect(screen.queryByTestId('buying-not-available')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
    await expectNoSeriousViolations(view.container);
    fireEvent.click(rent);
    const dialog = within(await screen.findByRole('dialog', { name: 'Rent Scout?' }));
    expect(dialog.getByText('It costs 300 credits for 7 days: Acme will have 700 credits left.')).toBeTruthy();
    fireEvent.click(dialog.getByRole('button', { name: 'Confirm: rent for 300 credits' }));
    expect(await screen.findByText(/^Rented Scout until .+, 300 credits held in escrow: Acme has 700 credits left\.$/)).toBeTruthy();
    const period = await screen.findByTestId('rental-period');
    expect(period.textContent).toMatch(/^Rented until .+, in 7 days\. Then what it installed is paused\./);
    expect(within(period).getByRole('link', { name: 'The workspace’s rentals' }).getAttribute('href')).toBe('/marketplace/rentals');
    expect(view.calls.filter((call) => call.path.endsWith('/purchase'))).toHaveLength(1);
    fireEvent.click(await screen.findByRole('button', { name: 'Install into Acme' }));
    expect(await screen.findByTestId('installed-result')).toBeTruthy();
  });

  it('offers Install at once while the workspace rents it, and Rent again once a refund ended the access', async () => {
    const listing = makeListing({ pricing: { model: 'rental', days: 30, priceCredits: 900 } });
    let rentals = [makeRental({ listing: { id: listing.id, title: listing.title }, status: 'disputed' })];
    const view = renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(2000) }),
      'GET /marketplace/rentals': () => ({ status: 200, body: { data: rentals } }),
    });
    await screen.findByRole('button', { name: 'Install into Acme' });
    expect((await screen.findByTestId('rental-period')).textContent).toMatch(/, in 5 days\./);
    expect(screen.queryByRole('button', { name: /^Rent for/ })).toBeNull();
    view.unmount();

    rentals = [makeRental({ listing: { id: listing.id, title: listing.title }, status: 'refunded', accessEnded: true, escrowCredits: 0 })];
    renderListing(listing, {
      'GET /credits': () => ({ status: 200, body: balanceOf(2000) }),
      'GET /marketplace/rentals': () => ({ status: 200, body: { data: rentals } }),
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Rent for 30 days for 900 credits' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
  });
});
