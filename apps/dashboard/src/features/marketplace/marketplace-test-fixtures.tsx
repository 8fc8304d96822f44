import {
  type Installation,
  installationSchema,
  type Listing,
  type ListingVersion,
  listingSchema,
  listingVersionSchema,
  type ModerationItem,
  moderationItemSchema,
  type Review,
  reviewSchema,
} from '@mission-control/contracts';
import { act, render } from '@testing-library/react';
import axe from 'axe-core';
import type { ReactNode } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { expect } from 'vitest';
import { Toaster } from '../../lib/toasts';
import { makeSession, testId, workspaceId } from '../../test/fixtures';
import { createFakeFetch, createTestQueryClient, createTestServices, Providers, type RouteHandler } from '../../test/render-with-app';
import ListingPage from './listing-page';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

/** A listing as the server answers one; parsed, so the fixture follows the contract as it grows. */
export function makeListing(overrides: Partial<Listing> = {}): Listing {
  const id = overrides.id ?? testId();
  return listingSchema.parse({
    id,
    kind: 'agent',
    title: 'Scout',
    summary: 'Finds and summarises sources',
    description: '## How it works\n\nReads **primary sources** first.',
    category: 'research',
    tags: ['sources'],
    publisher: { kind: 'user', id: testId(), name: 'Ada Publisher' },
    visibility: 'public',
    pricing: { model: 'free' },
    latestVersion: '1.1.0',
    versions: [
      { listingId: id, version: '1.1.0', changelog: 'A senior role', createdAt: hoursAgo(2) },
      { listingId: id, version: '1.0.0', changelog: 'First version', createdAt: hoursAgo(50) },
    ],
    forkedFrom: null,
    installs: 1234,
    activeInstalls: 1000,
    rating: { average: 4.5, count: 12, distribution: { 1: 0, 2: 1, 3: 1, 4: 2, 5: 8 } },
    canEdit: false,
    createdAt: hoursAgo(50),
    updatedAt: hoursAgo(2),
    ...overrides,
  });
}

export function makeVersion(listing: Listing, overrides: Partial<ListingVersion> = {}): ListingVersion {
  return listingVersionSchema.parse({
    listingId: listing.id,
    version: listing.latestVersion,
    changelog: 'A senior role',
    content: {
      agents: [
        {
          name: 'scout',
          role: 'Senior researcher',
          kind: 'specialist',
          capabilities: ['research', 'web'],
          memoryContext: '',
          heartbeatIntervalSeconds: 60,
          concurrencyLimit: 1,
          runtime: null,
          skills: [],
        },
      ],
      workflows: [],
      skills: [{ name: 'Cite sources', description: 'Quote, then link', body: '1. Quote\n2. Link', capabilities: [] }],
    },
    createdAt: hoursAgo(2),
    ...overrides,
  });
}

export function makeInstallation(listing: Listing, overrides: Partial<Installation> = {}): Installation {
  return installationSchema.parse({
    id: testId(),
    listingId: listing.id,
    listingTitle: listing.title,
    workspaceId,
    version: '1.0.0',
    status: 'active',
    items: [{ kind: 'agent', id: testId(), name: 'my-scout', templateName: 'scout' }],
    shareFigures: false,
    installedBy: { id: testId(), name: 'Olivia' },
    createdAt: hoursAgo(30),
    updatedAt: hoursAgo(30),
    ...overrides,
  });
}

export function makeReview(listing: Listing, overrides: Partial<Review> = {}): Review {
  return reviewSchema.parse({
    id: testId(),
    listingId: listing.id,
    version: '1.0.0',
    rating: 4,
    body: 'Useful helper',
    author: { id: testId(), name: 'Mina Member' },
    status: 'published',
    reply: null,
    reports: 0,
    moderation: null,
    createdAt: hoursAgo(5),
    updatedAt: hoursAgo(5),
    ...overrides,
  });
}

export function makeModerationItem(listing: Listing, overrides: Partial<ModerationItem> = {}): ModerationItem {
  return moderationItemSchema.parse({
    ...makeReview(listing, { status: 'pending', reports: 1, body: 'A total scam' }),
    listingTitle: listing.title,
    reportReasons: ['Off topic'],
    matchedWords: ['scam'],
    ...overrides,
  });
}

export const errorAnswer = (status: number, code: string, message: string, details?: unknown) => ({
  status,
  body: { error: { code, message, ...(details === undefined ? {} : { details }) } },
});

/** Shows the router's location, so a test can read what the page put in the URL. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

/**
 * A marketplace page at a URL, signed in, over a fake server: every request goes through the
 * real SDK; `urls` records each one with its query string.
 */
export function renderMarketplace(
  page: ReactNode,
  options: { at: string; path?: string; routes: Record<string, RouteHandler>; role?: 'owner' | 'member' | 'viewer' },
) {
  const fake = createFakeFetch({
    'GET /workspace': () => ({ status: 200, body: session.workspace }),
    ...options.routes,
  });
  const urls: URL[] = [];
  const services = createTestServices(((input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(new URL(String(input)));
    return fake.fetch(input, init);
  }) as typeof globalThis.fetch);
  const session = makeSession(options.role ?? 'owner');
  const queryClient = createTestQueryClient();
  const view = render(
    <Providers services={services} queryClient={queryClient} initialEntries={[options.at]}>
      <Routes>
        <Route path={options.path ?? '*'} element={page} />
      </Routes>
      <LocationProbe />
      <Toaster />
    </Providers>,
  );
  act(() => services.session.set(session));
  /** The query of the last request to a path, such as "/marketplace/search". */
  const lastQuery = (path: string) => {
    const matching = urls.filter((url) => url.pathname === `/api/v1${path}`);
    return Object.fromEntries(matching.at(-1)?.searchParams ?? []);
  };
  return { ...view, calls: fake.calls, urls, lastQuery, session, queryClient };
}

export async function expectNoSeriousViolations(container: HTMLElement) {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => [violation.id, violation.nodes.map((node) => node.html)])).toEqual([]);
}

/** The listing page of a listing, with its version and no reviews, installations or history unless `routes` says otherwise. */
export function renderListingPage(listing: Listing, routes: Record<string, RouteHandler>) {
  const base = `/marketplace/listings/${listing.id}`;
  return renderMarketplace(<ListingPage />, {
    at: base,
    path: '/marketplace/listings/:listingId',
    routes: {
      [`GET ${base}`]: () => ({ status: 200, body: listing }),
      [`GET ${base}/versions/${listing.latestVersion}`]: () => ({ status: 200, body: makeVersion(listing) }),
      [`GET ${base}/reviews`]: () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /marketplace/installations': () => ({ status: 200, body: { data: [] } }),
      'GET /credits/transactions': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      ...routes,
    },
  });
}
