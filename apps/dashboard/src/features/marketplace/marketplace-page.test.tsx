import type { ListingSearchResult } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import MarketplacePage from './marketplace-page';
import { errorAnswer, expectNoSeriousViolations, makeListing, renderMarketplace } from './marketplace-test-fixtures';
import { priceInWords, ratingInWords } from './marketplace-wording';
import { readFilters, toSearchQuery, withFilters } from './search-filters';

const reviewer = makeListing({
  title: 'Contract reviewer',
  summary: 'Reads contracts for risky clauses',
  category: 'legal',
  tags: ['contracts'],
  pricing: { model: 'one-off', priceCredits: 500 },
  publisher: { kind: 'organization', id: '0193d6a0-0000-7000-8000-00000000aaaa', name: 'Lexicon Ltd' },
});
const qualifier = makeListing({
  title: 'Lead qualifier',
  kind: 'bundle',
  category: 'sales',
  tags: ['leads', 'crm'],
  pricing: { model: 'subscription', monthlyCredits: 900 },
  installs: 1,
  rating: { average: null, count: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
});
const scout = makeListing({ title: 'Scout' });

const facets: ListingSearchResult['facets'] = {
  category: [
    { value: 'legal', count: 1 },
    { value: 'research', count: 1 },
    { value: 'sales', count: 1 },
  ],
  kind: [
    { value: 'agent', count: 2 },
    { value: 'bundle', count: 1 },
  ],
  pricing: [
    { value: 'free', count: 1 },
    { value: 'one-off', count: 1 },
    { value: 'subscription', count: 1 },
  ],
  tags: [
    { value: 'contracts', count: 1 },
    { value: 'crm', count: 1 },
  ],
};

describe('marketplace wording', () => {
  it('says prices and ratings in words', () => {
    expect(priceInWords({ model: 'free' })).toBe('Free');
    expect(priceInWords({ model: 'one-off', priceCredits: 500 })).toBe('500 credits once');
    expect(priceInWords({ model: 'subscription', monthlyCredits: 900 })).toBe('900 credits a month');
    expect(priceInWords({ model: 'usage', unit: 'task', creditsPerUnit: 1 })).toBe('1 credit a task');
    expect(priceInWords({ model: 'rental', days: 30, priceCredits: 1500 })).toBe('1,500 credits for 30 days');
    expect(ratingInWords(4.5, 12)).toBe('4.5 out of 5 from 12 ratings');
    expect(ratingInWords(4, 1)).toBe('4 out of 5 from 1 rating');
    expect(ratingInWords(null, 0)).toBe('No ratings yet');
  });

  it('reads the URL’s filters, drops what the server would refuse, and goes back to the first page when a filter changes', () => {
    const filters = readFilters(
      new URLSearchParams('q=contract&kind=robot&pricing=free,gratis&tags=Crm,leads&minRating=9&sort=loudest&offset=40'),
    );
    expect(filters).toMatchObject({
      q: 'contract',
      kind: '',
      pricing: ['free'],
      tags: ['crm', 'leads'],
      minRating: undefined,
      sort: 'relevance',
      offset: 40,
    });
    expect(toSearchQuery(filters)).toEqual({ q: 'contract', pricing: 'free', tags: 'crm,leads', sort: 'relevance', limit: 20, offset: 40 });
    expect(withFilters(new URLSearchParams('q=a&offset=40'), { kind: 'agent' }).toString()).toBe('q=a&kind=agent');
    expect(withFilters(new URLSearchParams('q=a'), { offset: '20' }).toString()).toBe('q=a&offset=20');
  });
});

describe('the marketplace page', () => {
  it('searches with the URL’s words and filters, shows cards in words, and keeps every change in the URL', async () => {
    const view = renderMarketplace(<MarketplacePage />, {
      at: '/marketplace?q=contract&category=legal',
      routes: {
        'GET /marketplace/search': () => ({ status: 200, body: { data: [reviewer, qualifier, scout], total: 3, facets } }),
      },
    });
    const card = within((await screen.findByRole('link', { name: 'Contract reviewer' })).closest('li') as HTMLElement);
    expect(view.lastQuery('/marketplace/search')).toMatchObject({ q: 'contract', category: 'legal', sort: 'relevance', offset: '0' });
    expect((screen.getByLabelText('Search the marketplace') as HTMLInputElement).value).toBe('contract');
    expect((screen.getByLabelText('Category') as HTMLSelectElement).value).toBe('legal');
    expect(card.getByText('Reads contracts for risky clauses')).toBeTruthy();
    expect(card.getByText('Lexicon Ltd')).toBeTruthy();
    expect(card.getByText('Agent')).toBeTruthy();
    expect(card.getByTestId('price').textContent).toBe('500 credits once');
    expect(card.getByText('4.5 out of 5 from 12 ratings')).toBeTruthy();
    expect(card.getByText('1,234 installs')).toBeTruthy();
    const bundle = within(screen.getByRole('link', { name: 'Lead qualifier' }).closest('li') as HTMLElement);
    expect(bundle.getByTestId('price').textContent).toBe('900 credits a month');
    expect(bundle.getByText('No ratings yet')).toBeTruthy();
    expect(bundle.getByText('1 install')).toBeTruthy();
    expect(screen.getByTestId('result-count').textContent).toBe('3 listings');

    // Facets with their counts.
    expect(screen.getByRole('option', { name: 'Sales (1)' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Bundle (1)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'One payment (1)' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Free (1)' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'crm (1)' }));
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'agent' } });
    fireEvent.change(screen.getByLabelText('Minimum rating'), { target: { value: '4' } });
    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'rating' } });
    const location = () => new URLSearchParams(screen.getByTestId('location').textContent?.split('?')[1] ?? '');
    await waitFor(() =>
      expect(Object.fromEntries(location())).toEqual({
        q: 'contract',
        category: 'legal',
        pricing: 'one-off,free',
        tags: 'crm',
        kind: 'agent',
        minRating: '4',
        sort: 'rating',
      }),
    );
    await waitFor(() =>
      expect(view.lastQuery('/marketplace/search')).toEqual({
        q: 'contract',
        category: 'legal',
        kind: 'agent',
        pricing: 'one-off,free',
        tags: 'crm',
        minRating: '4',
        sort: 'rating',
        limit: '20',
        offset: '0',
      }),
    );

    // Typing waits for the words to settle, then sends one search.
    const before = view.urls.length;
    fireEvent.change(screen.getByLabelText('Search the marketplace'), { target: { value: 'contract risk' } });
    expect(location().get('q')).toBe('contract risk');
    await waitFor(() => expect(view.lastQuery('/marketplace/search').q).toBe('contract risk'));
    expect(view.urls.length - before).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/marketplace'));
    await expectNoSeriousViolations(view.container);
  });

  it('pages through results with the offset in the URL', async () => {
    const view = renderMarketplace(<MarketplacePage />, {
      at: '/marketplace?kind=agent',
      routes: {
        'GET /marketplace/search': () => ({
          status: 200,
          body: { data: Array.from({ length: 20 }, (_, index) => makeListing({ title: `Agent ${index}` })), total: 45, facets },
        }),
      },
    });
    expect((await screen.findByTestId('result-count')).textContent).toBe('Showing 1–20 of 45 listings');
    expect((screen.getByRole('button', { name: 'Previous page' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Page 1 of 3')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/marketplace?kind=agent&offset=20'));
    await waitFor(() => expect(view.lastQuery('/marketplace/search').offset).toBe('20'));
    expect(await screen.findByText('Page 2 of 3')).toBeTruthy();
    expect(screen.getByTestId('result-count').textContent).toBe('Showing 21–40 of 45 listings');
  });

  it('says so when nothing matches, when the marketplace is empty, and when the server fails', async () => {
    let answer: { status: number; body: unknown } = { status: 200, body: { data: [], total: 0, facets } };
    const view = renderMarketplace(<MarketplacePage />, {
      at: '/marketplace?q=nothing',
      routes: { 'GET /marketplace/search': () => answer },
    });
    expect(await screen.findByText('Nothing matches')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(await screen.findByText('The marketplace is empty')).toBeTruthy();
    answer = errorAnswer(500, 'INTERNAL_ERROR', 'The database is not answering.');
    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'newest' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the marketplace');
    expect(alert.textContent).toContain('The database is not answering.');
    await expectNoSeriousViolations(view.container);
  });
});
