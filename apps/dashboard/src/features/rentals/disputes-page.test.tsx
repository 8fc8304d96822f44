import type { Dispute, ResolveDisputeInput } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeSession } from '../../test/fixtures';
import type { RouteHandler } from '../../test/render-with-app';
import { errorAnswer, expectNoSeriousViolations, renderMarketplace } from '../marketplace/marketplace-test-fixtures';
import DisputesPage from './disputes-page';
import { makeDispute, makeRental } from './rentals-test-fixtures';

const rental = makeRental({ status: 'disputed' });
const open = makeDispute(rental);

function resolvedOf(dispute: Dispute, refunded: number, reason: string): Dispute {
  return {
    ...dispute,
    status: 'resolved',
    rental: { ...dispute.rental, status: refunded === 0 ? 'released' : refunded === dispute.rental.priceCredits ? 'refunded' : 'ended' },
    resolution: {
      outcome: refunded === 0 ? 'release' : 'refund',
      refunded,
      released: dispute.rental.priceCredits - refunded,
      reason,
      by: { id: rental.id, name: 'Olivia Owner' },
      at: new Date(Date.now() - 10 * 60_000).toISOString(),
    },
  };
}

function renderDisputes(options: { admin: boolean; routes?: Record<string, RouteHandler>; role?: 'owner' | 'member' }) {
  return renderMarketplace(<DisputesPage />, {
    at: '/marketplace/disputes',
    ...(options.role ? { role: options.role } : {}),
    routes: {
      'GET /marketplace/moderation/queue': () =>
        options.admin ? { status: 200, body: { data: [], nextCursor: null } } : errorAnswer(403, 'INSTANCE_ADMIN_REQUIRED', 'No'),
      'GET /workspaces': () => ({ status: 200, body: { data: [{ workspace: makeSession('owner').workspace, role: 'owner' }] } }),
      'GET /marketplace/disputes': () => ({ status: 200, body: { data: [open] } }),
      ...options.routes,
    },
  });
}

describe('the disputes page', () => {
  it('lets a server administrator resolve an open dispute with a partial refund, checked first, then shows the resolution', async () => {
    let current: Dispute = open;
    const view = renderDisputes({
      admin: true,
      routes: {
        'GET /marketplace/disputes': () => ({ status: 200, body: { data: [current] } }),
        [`POST /marketplace/disputes/${open.id}/resolve`]: ({ body }) => {
          const input = body as ResolveDisputeInput;
          current = resolvedOf(open, input.refundAmount ?? open.rental.priceCredits, input.reason);
          return { status: 200, body: current };
        },
      },
    });
    const card = within(await screen.findByTestId('dispute'));
    expect(card.getByRole('link', { name: 'Scout' }).getAttribute('href')).toBe(`/marketplace/listings/${open.listing.id}`);
    expect(card.getByText('It never answered a single task.')).toBeTruthy();
    expect(card.getByText('Rita Renter')).toBeTruthy();
    await waitFor(() => expect(card.getByText(/ of Acme,/)).toBeTruthy());
    expect(card.getByText('300 credits · disputed')).toBeTruthy();
    expect(card.getByTestId('dispute-status').textContent).toBe('Open');
    const form = within(card.getByRole('form', { name: 'Resolve the dispute over Scout' }));
    await expectNoSeriousViolations(view.container);

    fireEvent.change(form.getByLabelText('Credits to refund (optional)'), { target: { value: '500' } });
    fireEvent.click(form.getByRole('button', { name: 'Resolve the dispute' }));
    expect(await form.findByText('Refund a whole number from 1 to 300 credits, or leave it empty to refund all of it.')).toBeTruthy();
    expect(form.getByText('Say why: the workspace and the publisher both read it.')).toBeTruthy();
    fireEvent.change(form.getByLabelText('Credits to refund (optional)'), { target: { value: 'half' } });
    fireEvent.click(form.getByRole('button', { name: 'Resolve the dispute' }));
    expect(await form.findByText(/^Refund a whole number from 1 to 300 credits/)).toBeTruthy();
    expect(view.calls.some((call) => call.method === 'POST')).toBe(false);

    fireEvent.change(form.getByLabelText('Credits to refund (optional)'), { target: { value: '100' } });
    fireEvent.change(form.getByLabelText('Reason for the decision'), { target: { value: 'Down for two of the five days' } });
    fireEvent.click(form.getByRole('button', { name: 'Resolve the dispute' }));
    expect(
      await screen.findByText(
        'Resolved the dispute over Scout: 100 credits refunded to the workspace, 200 credits released to the publisher.',
      ),
    ).toBeTruthy();
    expect(view.calls.find((call) => call.path.endsWith('/resolve'))?.body).toEqual({
      outcome: 'refund',
      refundAmount: 100,
      reason: 'Down for two of the five days',
    });
    const resolution = within(await screen.findByTestId('dispute-resolution'));
    expect(resolution.getByText('Refunded 100 credits to the workspace, released 200 credits to the publisher.')).toBeTruthy();
    expect(screen.getByTestId('dispute-resolution').textContent).toContain(
      'By Olivia Owner, 10 minutes ago: “Down for two of the five days”',
    );
    expect(screen.getByTestId('dispute-status').textContent).toBe('Resolved');
    expect(screen.queryByRole('form', { name: /^Resolve/ })).toBeNull();
  });

  it('releases all of it to the publisher without a refund amount, and says a refusal in plain words', async () => {
    let answer: RouteHandler = () => errorAnswer(409, 'DISPUTE_ALREADY_RESOLVED', 'Resolved already');
    const view = renderDisputes({
      admin: true,
      routes: { [`POST /marketplace/disputes/${open.id}/resolve`]: (request) => answer(request) },
    });
    const form = within(await screen.findByRole('form', { name: 'Resolve the dispute over Scout' }));
    fireEvent.click(form.getByLabelText(/^Release to the publisher/));
    expect(form.queryByLabelText('Credits to refund (optional)')).toBeNull();
    fireEvent.change(form.getByLabelText('Reason for the decision'), { target: { value: 'It worked as described' } });
    fireEvent.click(form.getByRole('button', { name: 'Resolve the dispute' }));
    expect((await form.findByRole('alert')).textContent).toBe('Someone resolved this dispute meanwhile: its resolution is shown now.');
    answer = () => ({ status: 200, body: resolvedOf(open, 0, 'It worked as described') });
    fireEvent.click(form.getByRole('button', { name: 'Resolve the dispute' }));
    expect(await screen.findByText(/^Resolved the dispute over Scout: 0 credits refunded/)).toBeTruthy();
    expect(view.calls.filter((call) => call.path.endsWith('/resolve')).at(-1)?.body).toEqual({
      outcome: 'release',
      reason: 'It worked as described',
    });
  });

  it('shows a workspace member its disputes and their resolution, with no resolve form', async () => {
    const view = renderDisputes({
      admin: false,
      role: 'member',
      routes: { 'GET /marketplace/disputes': () => ({ status: 200, body: { data: [resolvedOf(open, 100, 'Partly down'), open] } }) },
    });
    const cards = await screen.findAllByTestId('dispute');
    expect(cards).toHaveLength(2);
    expect(screen.getByText(/^Disputes over Acme’s rentals\. A server administrator/)).toBeTruthy();
    const resolution = within(screen.getByTestId('dispute-resolution'));
    expect(resolution.getByText('Refunded 100 credits to the workspace, released 200 credits to the publisher.')).toBeTruthy();
    expect(screen.queryByRole('form', { name: /^Resolve/ })).toBeNull();
    expect(view.calls.some((call) => call.path === '/workspaces')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(view.lastQuery('/marketplace/disputes')).toEqual({ status: 'open' }));
    await expectNoSeriousViolations(view.container);
  });
});
