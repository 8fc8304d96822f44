import type { Installation, Listing, Review } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { testId } from '../../test/fixtures';
import type { RouteHandler } from '../../test/render-with-app';
import { balanceOf } from '../credits/credits-test-fixtures';
import ListingPage from './listing-page';
import {
  errorAnswer,
  expectNoSeriousViolations,
  makeInstallation,
  makeListing,
  makeReview,
  makeVersion,
  renderMarketplace,
} from './marketplace-test-fixtures';

function renderListing(
  listing: Listing,
  options: { reviews?: Review[]; installations?: Installation[]; routes?: Record<string, RouteHandler> } = {},
) {
  const base = `/marketplace/listings/${listing.id}`;
  return renderMarketplace(<ListingPage />, {
    at: base,
    path: '/marketplace/listings/:listingId',
    routes: {
      [`GET ${base}`]: () => ({ status: 200, body: listing }),
      [`GET ${base}/versions/${listing.latestVersion}`]: () => ({ status: 200, body: makeVersion(listing) }),
      [`GET ${base}/reviews`]: () => ({ status: 200, body: { data: options.reviews ?? [], nextCursor: null } }),
      'GET /marketplace/installations': () => ({ status: 200, body: { data: options.installations ?? [] } }),
      ...options.routes,
    },
  });
}

describe('the listing page', () => {
  it('shows the listing in words: description, what it installs, versions newest first, ratings, installs, attribution', async () => {
    const original = testId();
    const listing = makeListing({ forkedFrom: { listingId: original, title: 'Old scout', version: '2.0.0' } });
    const view = renderListing(listing, {
      reviews: [makeReview(listing, { reply: { body: 'Thanks, we sped it up', at: new Date().toISOString() } })],
    });
    await screen.findByRole('heading', { name: 'Scout', level: 1 });
    expect(screen.getByRole('heading', { name: 'How it works' })).toBeTruthy();
    expect(screen.getByText('primary sources').tagName).toBe('STRONG');
    const agent = within(await screen.findByTestId('content-agent'));
    expect(agent.getByText('scout')).toBeTruthy();
    expect(agent.getByText(/Senior researcher/)).toBeTruthy();
    expect(
      within(agent.getByRole('list', { name: 'Capabilities of scout' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['research', 'web']);
    expect(within(screen.getByTestId('content-skill')).getByText('Cite sources')).toBeTruthy();
    expect(screen.getAllByTestId('listing-version').map((item) => item.textContent?.match(/^Version \S+/)?.[0])).toEqual([
      'Version 1.1.0',
      'Version 1.0.0',
    ]);
    expect(screen.getByTestId('installs').textContent).toBe('1,234 installs, 1,000 still installed');
    expect(within(screen.getByRole('list', { name: 'Ratings by stars' })).getAllByRole('listitem')[0]?.textContent).toBe('5 stars:8');
    const forked = screen.getByTestId('forked-from');
    expect(forked.textContent).toBe('Forked from Old scout version 2.0.0.');
    expect(within(forked).getByRole('link', { name: 'Old scout' }).getAttribute('href')).toBe(`/marketplace/listings/${original}`);
    const review = within(await screen.findByTestId('review'));
    expect(review.getByText('Mina Member')).toBeTruthy();
    expect(within(review.getByTestId('review-reply')).getByText('Thanks, we sped it up')).toBeTruthy();
    expect(screen.getByText('Install it to rate and review it.')).toBeTruthy();
    await expectNoSeriousViolations(view.container);
  });

  it('installs into the current workspace with a name prefix, then links to what it created', async () => {
    const listing = makeListing();
    const agentId = testId();
    const view = renderListing(listing, {
      routes: {
        [`POST /marketplace/listings/${listing.id}/install`]: () => ({
          status: 201,
          body: makeInstallation(listing, {
            version: '1.1.0',
            items: [
              { kind: 'skill', id: testId(), name: 'Cite sources', templateName: 'Cite sources' },
              { kind: 'agent', id: agentId, name: 'my-scout', templateName: 'scout' },
            ],
          }),
        }),
      },
    });
    const form = within(await screen.findByRole('form', { name: 'Install Scout' }));
    fireEvent.change(form.getByLabelText('Name prefix (optional)'), { target: { value: 'my prefix!' } });
    fireEvent.click(form.getByRole('button', { name: 'Install into Acme' }));
    expect(await form.findByText('A prefix is up to 20 letters, digits, dots, dashes or underscores, such as my-.')).toBeTruthy();
    expect(view.calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.change(form.getByLabelText('Name prefix (optional)'), { target: { value: 'my-' } });
    fireEvent.click(form.getByRole('button', { name: 'Install into Acme' }));
    const result = within(await screen.findByTestId('installed-result'));
    expect(result.getByText('Installed version 1.1.0 into Acme. It created:')).toBeTruthy();
    expect(result.getByRole('link', { name: 'my-scout' }).getAttribute('href')).toBe(`/agents/${agentId}`);
    expect(result.getByText('(from scout)')).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'POST')?.body).toEqual({ options: { namePrefix: 'my-' } });
    expect(await screen.findByText('Installed Scout into Acme.')).toBeTruthy();
  });

  it('shows the results of installed copies in words, counted only where installers share them', async () => {
    const listing = makeListing({
      figures: {
        installationsReporting: 3,
        tasksDone: 1_234,
        tasksFailed: 1,
        successRate: 0.923,
        medianCostMicroDollarsPerTask: 4_200,
      },
    });
    const view = renderListing(listing);
    const section = within(await screen.findByRole('region', { name: 'Results from installed copies' }));
    expect(section.getByTestId('figures-tasks').textContent).toBe(
      '1,234 tasks done, 1 failed, across 3 installations (their installers share these results)',
    );
    expect(section.getByTestId('figures-success-rate').textContent).toBe('92 % of finished tasks were done');
    expect(section.getByTestId('figures-cost').textContent).toBe('$0.0042 per task (median)');
    expect(section.getByText('Success rate').tagName).toBe('DT');
    await expectNoSeriousViolations(view.container);
  });

  it('says when no installer shares results, and when none finished or was costed', async () => {
    const view = renderListing(makeListing({ figures: null }));
    const section = within(await screen.findByRole('region', { name: 'Results from installed copies' }));
    expect(section.getByText('No installer shares their results yet.')).toBeTruthy();
    await expectNoSeriousViolations(view.container);
    view.unmount();

    renderListing(
      makeListing({
        kind: 'bundle',
        figures: { installationsReporting: 1, tasksDone: 0, tasksFailed: 0, successRate: null, medianCostMicroDollarsPerTask: null },
      }),
    );
    const bundle = within(await screen.findByRole('region', { name: 'Results from installed copies' }));
    expect(bundle.getByTestId('figures-tasks').textContent).toBe(
      '0 tasks done, 0 failed, across 1 installation (their installers share these results)',
    );
    expect(bundle.getByTestId('figures-success-rate').textContent).toBe('No task finished yet');
    expect(bundle.getByTestId('figures-cost').textContent).toBe('No run was costed');
  });

  it('shares the installation’s results only when the installer ticks it', async () => {
    const listing = makeListing();
    const view = renderListing(listing, {
      routes: {
        [`POST /marketplace/listings/${listing.id}/install`]: ({ body }) => ({
          status: 201,
          body: makeInstallation(listing, {
            shareFigures: Boolean((body as { options?: { shareFigures?: boolean } }).options?.shareFigures),
          }),
        }),
      },
    });
    const form = within(await screen.findByRole('form', { name: 'Install Scout' }));
    const share = form.getByRole('checkbox', {
      name: 'Share this installation’s results (tasks done, success rate, cost per task) on the listing’s page, without naming your workspace',
    }) as HTMLInputElement;
    expect(share.checked).toBe(false);
    await expectNoSeriousViolations(view.container);

    fireEvent.click(form.getByRole('button', { name: 'Install into Acme' }));
    await screen.findByTestId('installed-result');
    expect(view.calls.filter((call) => call.method === 'POST').at(-1)?.body).toEqual({});

    fireEvent.click(share);
    expect(share.checked).toBe(true);
    fireEvent.click(form.getByRole('button', { name: 'Install into Acme' }));
    await waitFor(() => expect(view.calls.filter((call) => call.method === 'POST')).toHaveLength(2));
    expect(view.calls.filter((call) => call.method === 'POST').at(-1)?.body).toEqual({ options: { shareFigures: true } });
  });

  it('shows a monthly listing’s price and offers to subscribe, with no Install button until subscribed', async () => {
    const view = renderListing(makeListing({ pricing: { model: 'subscription', monthlyCredits: 900 } }), {
      routes: {
        'GET /credits': () => ({ status: 200, body: balanceOf(1000) }),
        'GET /marketplace/subscriptions': () => ({ status: 200, body: { data: [] } }),
      },
    });
    expect(await screen.findByRole('button', { name: 'Subscribe for 900 credits a month' })).toBeTruthy();
    expect(screen.getAllByTestId('price')[0]?.textContent).toBe('900 credits a month');
    expect(screen.queryByText(/not on sale/)).toBeNull();
    expect(screen.queryByRole('button', { name: /^Install/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Fork' })).toBeTruthy();
    await expectNoSeriousViolations(view.container);
  });

  it('says a refused review in plain words, and reports someone else’s review with a reason', async () => {
    const listing = makeListing();
    const review = makeReview(listing);
    const view = renderListing(listing, {
      reviews: [review],
      installations: [makeInstallation(listing)],
      routes: {
        [`POST /marketplace/listings/${listing.id}/reviews`]: () =>
          errorAnswer(403, 'REVIEW_REQUIRES_INSTALL', 'Only someone who installed Scout may rate it. Install it into a workspace first.'),
        [`POST /marketplace/listings/${listing.id}/reviews/${review.id}/report`]: () => ({ status: 200, body: { ok: true } }),
      },
    });
    const form = within(await screen.findByRole('form', { name: 'Your review' }));
    fireEvent.click(form.getByRole('button', { name: 'Post review' }));
    expect((await form.findByRole('alert')).textContent).toBe('Choose a rating from 1 to 5 stars first.');
    fireEvent.click(form.getByLabelText('4 stars'));
    fireEvent.change(form.getByLabelText('What worked, what did not (optional)'), { target: { value: 'Good sources' } });
    fireEvent.click(form.getByRole('button', { name: 'Post review' }));
    await waitFor(() =>
      expect(form.getByRole('alert').textContent).toBe(
        'Only people who installed this listing themselves can rate it. Install it first, then review it.',
      ),
    );
    expect(view.calls.find((call) => call.path.endsWith('/reviews') && call.method === 'POST')?.body).toEqual({
      rating: 4,
      body: 'Good sources',
    });

    fireEvent.click(screen.getByRole('button', { name: 'Report the review by Mina Member' }));
    const report = within(screen.getByRole('form', { name: 'Why report this review?' }));
    fireEvent.click(report.getByRole('button', { name: 'Send report' }));
    expect(await report.findByRole('alert')).toBeTruthy();
    fireEvent.change(report.getByLabelText('Why report this review?'), { target: { value: 'Off topic' } });
    fireEvent.click(report.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('Reported: a moderator will look at it. Until then the review does not count.')).toBeTruthy();
    expect(view.calls.find((call) => call.path.endsWith('/report'))?.body).toEqual({ reason: 'Off topic' });
    expect(screen.queryByRole('form', { name: 'Why report this review?' })).toBeNull();
  });

  it('gives the publisher edit, new version and delete, and says a version that is not higher in words', async () => {
    const listing = makeListing({ canEdit: true });
    const view = renderListing(listing, {
      routes: {
        [`PATCH /marketplace/listings/${listing.id}`]: ({ body }) => ({ status: 200, body: { ...listing, ...(body as object) } }),
        [`POST /marketplace/listings/${listing.id}/versions`]: () =>
          errorAnswer(409, 'LISTING_VERSION_NOT_HIGHER', 'Version 1.0.1 is not higher than 1.1.0.', { latestVersion: '1.1.0' }),
      },
    });
    await screen.findByText('You publish this listing: people who install it review it, and you can answer them.');
    fireEvent.click(screen.getByRole('button', { name: 'Edit listing' }));
    const edit = within(await screen.findByRole('form', { name: 'Edit Scout' }));
    fireEvent.change(edit.getByLabelText('Summary'), { target: { value: 'Finds sources fast' } });
    fireEvent.change(edit.getByLabelText('Price'), { target: { value: 'one-off' } });
    fireEvent.change(edit.getByLabelText('Price in credits'), { target: { value: '1,500' } });
    fireEvent.click(edit.getByRole('button', { name: 'Save listing' }));
    await waitFor(() => expect(view.calls.some((call) => call.method === 'PATCH')).toBe(true));
    expect(view.calls.find((call) => call.method === 'PATCH')?.body).toEqual({
      summary: 'Finds sources fast',
      pricing: { model: 'one-off', priceCredits: 1500 },
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Publish a new version' }));
    const version = within(await screen.findByRole('form', { name: 'New version of Scout' }));
    fireEvent.change(version.getByLabelText('Version'), { target: { value: '1.0.1' } });
    fireEvent.change(version.getByLabelText('What changed (markdown)'), { target: { value: 'Faster' } });
    fireEvent.click(version.getByRole('button', { name: 'Publish version' }));
    expect(await version.findByText('A new version must be higher than the latest one, 1.1.0: for example 1.1.1 or 1.2.0.')).toBeTruthy();
  });
});
