import type { CreateReviewInput, ModerateReviewInput, ModerationItem, Page, Review } from '@mission-control/contracts';
import { createReviewSchema } from '@mission-control/contracts';
import { z } from 'zod';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPresentedPage } from '../../http/pagination.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { UserService } from '../users/user.service.js';
import { findInstalledVersionOf } from './installation.repository.js';
import { findListingRowEvenDeleted, findListingRows } from './listing.repository.js';
import type { ListingService } from './listing.service.js';
import { canEditListing } from './listing-views.js';
import {
  findModerationSettingsRow,
  findOwnReviewRow,
  findReviewRow,
  insertReportIfAbsent,
  insertReview,
  listModerationRows,
  listReportsOf,
  listReviewRows,
  type ReviewRow,
  updateReviewRow,
  upsertModerationSettings,
} from './review.repository.js';

const wordsSchema = z.array(z.string());

export interface ReviewServiceDependencies {
  listings: Pick<ListingService, 'viewerOf' | 'requireVisibleListing'>;
  users: Pick<UserService, 'findUsers'>;
  organizations: Pick<OrganizationDirectory, 'isServerAdministrator'>;
}

/** The words of the list a text contains, matched as whole words, case-insensitively. */
export function findBlockedWords(text: string, blockedWords: readonly string[]): string[] {
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []);
  return blockedWords.filter((word) => (word.includes(' ') ? text.toLowerCase().includes(word) : words.has(word)));
}

function reviewNotFound(): AppError {
  return new AppError(
    'REVIEW_NOT_FOUND',
    'No review with this id on this listing. List its reviews with GET /api/v1/marketplace/listings/{id}/reviews.',
  );
}

/**
 * Ratings and reviews: one per person and version, only from people who installed the listing;
 * reports and the word list hold a review back for a moderator (a server administrator), whose
 * decision and reason stay with it.
 */
export class ReviewService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: ReviewServiceDependencies,
  ) {}

  private async readBlockedWords(): Promise<string[]> {
    const row = await findModerationSettingsRow(this.context.db);
    return row ? parseJsonColumn(wordsSchema, row.blocked_words, 'marketplace_settings.blocked_words') : [];
  }

  private async requireAdministrator(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !(await this.dependencies.organizations.isServerAdministrator(principal.id))) {
      throw new AppError(
        'INSTANCE_ADMIN_REQUIRED',
        'Only an administrator of this server moderates the marketplace (the owners of its first organisation).',
      );
    }
  }

  private async toReviews(rows: readonly ReviewRow[]): Promise<Review[]> {
    const users = new Map(
      (await this.dependencies.users.findUsers([...new Set(rows.map((row) => row.author_id))])).map((user) => [user.id, user.name]),
    );
    const reports = await listReportsOf(
      this.context.db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({
      id: row.id,
      listingId: row.listing_id,
      version: row.version,
      rating: row.rating,
      body: row.body,
      author: { id: row.author_id, name: users.get(row.author_id) ?? 'A former member' },
      status: row.status === 'published' ? 'published' : row.status === 'rejected' ? 'rejected' : 'pending',
      reply: row.reply_body !== null && row.reply_at !== null ? { body: row.reply_body, at: new Date(row.reply_at).toISOString() } : null,
      reports: reports.filter((report) => report.review_id === row.id).length,
      moderation:
        row.moderation_decision !== null && row.moderated_at !== null
          ? {
              decision: row.moderation_decision === 'approved' ? 'approved' : 'rejected',
              reason: row.moderation_reason ?? '',
              by: row.moderated_by ?? '',
              at: new Date(row.moderated_at).toISOString(),
            }
          : null,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  private async toReview(row: ReviewRow): Promise<Review> {
    const [review] = await this.toReviews([row]);
    if (!review) throw reviewNotFound();
    return review;
  }

  /** Posts or replaces the caller's review of the version they installed last. */
  async reviewListing(principal: Principal, listingId: string, given: CreateReviewInput): Promise<{ review: Review; created: boolean }> {
    const input = createReviewSchema.parse(given);
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const listing = await this.dependencies.listings.requireVisibleListing(viewer, listingId);
    if (canEditListing(listing, viewer)) {
      throw new AppError(
        'REVIEW_REQUIRES_INSTALL',
        'A publisher does not rate their own listing. Answer reviews with PUT …/reviews/{reviewId}/reply.',
      );
    }
    const version = principal.kind === 'user' ? await findInstalledVersionOf(this.context.db, listingId, principal.id) : undefined;
    if (!version) {
      throw new AppError(
        'REVIEW_REQUIRES_INSTALL',
        `Only someone who installed ${listing.title} may rate it. Install it into a workspace first.`,
      );
    }
    const matched = findBlockedWords(input.body, await this.readBlockedWords());
    const status = matched.length > 0 ? 'pending' : 'published';
    const now = this.context.clock.now().toISOString();
    const result = await this.context.db.transaction().execute(async (trx) => {
      const existing = await findOwnReviewRow(trx, listingId, version, principal.id);
      if (existing) {
        await updateReviewRow(trx, existing.id, {
          rating: input.rating,
          body: input.body,
          status,
          matched_words: JSON.stringify(matched),
          moderation_decision: null,
          moderation_reason: null,
          moderated_by: null,
          moderated_at: null,
          updated_at: now,
        });
        return { id: existing.id, created: false };
      }
      const id = createId();
      await insertReview(trx, {
        id,
        listing_id: listingId,
        version,
        author_id: principal.id,
        rating: input.rating,
        body: input.body,
        status,
        matched_words: JSON.stringify(matched),
        reply_body: null,
        reply_at: null,
        moderation_decision: null,
        moderation_reason: null,
        moderated_by: null,
        moderated_at: null,
        created_at: now,
        updated_at: now,
      });
      return { id, created: true };
    });
    const row = await findReviewRow(this.context.db, result.id);
    if (!row) throw reviewNotFound();
    return { review: await this.toReview(row), created: result.created };
  }

  async listReviews(principal: Principal, listingId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<Review>> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    await this.dependencies.listings.requireVisibleListing(viewer, listingId);
    const rows = await listReviewRows(this.context.db, {
      listingId,
      viewerId: principal.id,
      before: decodeCursor(query.cursor, 'string'),
      limit: query.limit,
    });
    return toPresentedPage(
      rows,
      query.limit,
      (pageRows) => this.toReviews(pageRows),
      (row) => row.id,
    );
  }

  private async requireReviewOf(listingId: string, reviewId: string): Promise<ReviewRow> {
    const row = await findReviewRow(this.context.db, reviewId);
    if (!row || row.listing_id !== listingId) throw reviewNotFound();
    return row;
  }

  async replyToReview(principal: Principal, listingId: string, reviewId: string, body: string): Promise<Review> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const listing = await this.dependencies.listings.requireVisibleListing(viewer, listingId);
    if (!canEditListing(listing, viewer)) throw new AppError('FORBIDDEN', 'Only the listing’s publisher answers its reviews.');
    const row = await this.requireReviewOf(listingId, reviewId);
    const now = this.context.clock.now().toISOString();
    await updateReviewRow(this.context.db, row.id, { reply_body: body, reply_at: now, updated_at: now });
    return this.toReview({ ...row, reply_body: body, reply_at: now, updated_at: now });
  }

  /** A report takes a published review out of the counts until a moderator decides. */
  async reportReview(principal: Principal, listingId: string, reviewId: string, reason: string): Promise<{ ok: true }> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    await this.dependencies.listings.requireVisibleListing(viewer, listingId);
    const row = await this.requireReviewOf(listingId, reviewId);
    const now = this.context.clock.now().toISOString();
    await this.context.db.transaction().execute(async (trx) => {
      const added = await insertReportIfAbsent(trx, { review_id: row.id, reporter_id: principal.id, reason, created_at: now });
      if (added && row.status === 'published') await updateReviewRow(trx, row.id, { status: 'pending', updated_at: now });
    });
    return { ok: true };
  }

  async listModerationQueue(
    principal: Principal,
    query: { status: 'pending' | 'decided'; limit: number; cursor?: string | undefined },
  ): Promise<Page<ModerationItem>> {
    await this.requireAdministrator(principal);
    const rows = await listModerationRows(this.context.db, {
      status: query.status,
      after: decodeCursor(query.cursor, 'string'),
      limit: query.limit,
    });
    return toPresentedPage(
      rows,
      query.limit,
      (pageRows) => this.toModerationItems(pageRows),
      (row) => row.id,
    );
  }

  private async toModerationItems(rows: ReviewRow[]): Promise<ModerationItem[]> {
    const reviews = await this.toReviews(rows);
    const titles = new Map(
      (await findListingRows(this.context.db, [...new Set(rows.map((row) => row.listing_id))])).map((row) => [row.id, row.title]),
    );
    const reports = await listReportsOf(
      this.context.db,
      rows.map((row) => row.id),
    );
    return reviews.map((review, index) => {
      const row = rows[index];
      return {
        ...review,
        listingTitle: titles.get(review.listingId) ?? 'A removed listing',
        reportReasons: reports.filter((report) => report.review_id === review.id).map((report) => report.reason),
        matchedWords: row ? parseJsonColumn(wordsSchema, row.matched_words, 'marketplace_reviews.matched_words') : [],
      };
    });
  }

  async moderateReview(principal: Principal, reviewId: string, input: ModerateReviewInput): Promise<Review> {
    await this.requireAdministrator(principal);
    const row = await findReviewRow(this.context.db, reviewId);
    if (!row) throw reviewNotFound();
    const listing = await findListingRowEvenDeleted(this.context.db, row.listing_id);
    if (!listing) throw reviewNotFound();
    const [moderator] = await this.dependencies.users.findUsers([principal.id]);
    const now = this.context.clock.now().toISOString();
    const changes = {
      status: input.decision === 'approve' ? 'published' : 'rejected',
      moderation_decision: input.decision === 'approve' ? 'approved' : 'rejected',
      moderation_reason: input.reason,
      moderated_by: moderator?.name ?? 'A server administrator',
      moderated_at: now,
      updated_at: now,
    };
    await updateReviewRow(this.context.db, row.id, changes);
    return this.toReview({ ...row, ...changes });
  }

  async getModerationSettings(principal: Principal): Promise<{ blockedWords: string[] }> {
    await this.requireAdministrator(principal);
    return { blockedWords: await this.readBlockedWords() };
  }

  async updateModerationSettings(principal: Principal, blockedWords: readonly string[]): Promise<{ blockedWords: string[] }> {
    await this.requireAdministrator(principal);
    const words = [...new Set(blockedWords)].sort();
    await upsertModerationSettings(this.context.db, JSON.stringify(words), this.context.clock.now().toISOString());
    return { blockedWords: words };
  }
}
