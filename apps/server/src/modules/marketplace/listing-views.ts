import type { Listing, ListingPricing, ListingVisibility, RatingSummary } from '@mission-control/contracts';
import { listingKindSchema, listingPricingSchema, listingVisibilitySchema } from '@mission-control/contracts';
import semver from 'semver';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { UserService } from '../users/user.service.js';
import { countInstallsOf } from './installation.repository.js';
import type { ListingRow, ListingViewer } from './listing.repository.js';
import { listVersionSummaries } from './listing.repository.js';
import { countRatingsOf } from './review.repository.js';

const tagsSchema = z.array(z.string());
const recentDays = 7;

export interface ListingViewDependencies {
  organizations: Pick<OrganizationDirectory, 'findOrganizationNames'>;
  users: Pick<UserService, 'findUsers'>;
}

/** Newest version first, by semantic version (1.10.0 after 1.9.0). */
export function compareVersionsNewestFirst(left: string, right: string): number {
  return semver.rcompare(left, right);
}

export function readPricing(row: ListingRow): ListingPricing {
  return parseJsonColumn(listingPricingSchema, row.pricing, 'marketplace_listings.pricing');
}

export function readVisibility(row: ListingRow): ListingVisibility {
  return listingVisibilitySchema.parse(row.visibility);
}

export function canEditListing(row: ListingRow, viewer: ListingViewer): boolean {
  return row.publisher_kind === 'user' ? row.publisher_id === viewer.userId : viewer.adminOrganizationIds.includes(row.publisher_id);
}

/** What `recentDays` ago was, for trending. */
export function recentSince(now: Date): string {
  return new Date(now.getTime() - recentDays * 86_400_000).toISOString();
}

function emptyRating(): RatingSummary {
  return { average: null, count: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } };
}

/**
 * Listings as the API answers them, for several rows at once: their versions, install counts,
 * rating distributions and publisher names in one query each, whatever the number of rows.
 */
export async function toListings(
  executor: DatabaseExecutor,
  dependencies: ListingViewDependencies,
  rows: readonly ListingRow[],
  viewer: ListingViewer,
  now: Date,
): Promise<Listing[]> {
  const ids = rows.map((row) => row.id);
  const [versions, installs, ratings] = await Promise.all([
    listVersionSummaries(executor, ids),
    countInstallsOf(executor, ids, recentSince(now)),
    countRatingsOf(executor, ids),
  ]);
  const userIds = rows.filter((row) => row.publisher_kind === 'user').map((row) => row.publisher_id);
  const organizationIds = rows.filter((row) => row.publisher_kind === 'organization').map((row) => row.publisher_id);
  const [users, organizations] = await Promise.all([
    dependencies.users.findUsers([...new Set(userIds)]),
    dependencies.organizations.findOrganizationNames(organizationIds),
  ]);
  const userNames = new Map(users.map((user) => [user.id, user.name]));

  const ratingOf = new Map<string, RatingSummary>();
  for (const rating of ratings) {
    const summary = ratingOf.get(rating.listingId) ?? emptyRating();
    const star = rating.rating as 1 | 2 | 3 | 4 | 5;
    summary.distribution[star] += rating.count;
    summary.count += rating.count;
    ratingOf.set(rating.listingId, summary);
  }
  for (const summary of ratingOf.values()) {
    const total = Object.entries(summary.distribution).reduce((sum, [star, count]) => sum + Number(star) * count, 0);
    summary.average = summary.count === 0 ? null : Math.round((total / summary.count) * 100) / 100;
  }

  return rows.map((row) => {
    const counts = installs.get(row.id) ?? { installs: 0, active: 0, recent: 0 };
    const publisherName =
      row.publisher_kind === 'user'
        ? (userNames.get(row.publisher_id) ?? 'A former member')
        : (organizations.get(row.publisher_id) ?? 'A removed organisation');
    return {
      id: row.id,
      kind: listingKindSchema.parse(row.kind),
      title: row.title,
      summary: row.summary,
      description: row.description,
      category: row.category,
      tags: parseJsonColumn(tagsSchema, row.tags, 'marketplace_listings.tags'),
      publisher: { kind: row.publisher_kind === 'organization' ? 'organization' : 'user', id: row.publisher_id, name: publisherName },
      visibility: readVisibility(row),
      pricing: readPricing(row),
      latestVersion: row.latest_version,
      versions: versions
        .filter((version) => version.listing_id === row.id)
        .map((version) => ({
          listingId: row.id,
          version: version.version,
          changelog: version.changelog,
          createdAt: new Date(version.created_at).toISOString(),
        }))
        .sort((left, right) => compareVersionsNewestFirst(left.version, right.version)),
      forkedFrom:
        row.forked_from_title !== null && row.forked_from_version !== null
          ? { listingId: row.forked_from_listing_id, title: row.forked_from_title, version: row.forked_from_version }
          : null,
      installs: counts.installs,
      activeInstalls: counts.active,
      rating: ratingOf.get(row.id) ?? emptyRating(),
      canEdit: canEditListing(row, viewer),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  });
}
