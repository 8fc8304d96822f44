import type {
  CreateListingInput,
  ForkListingInput,
  Listing,
  ListingContent,
  ListingVersion,
  ListListingsQuery,
  Page,
  UpdateListingInput,
} from '@mission-control/contracts';
import { createListingSchema, createListingVersionSchema, listingContentSchema } from '@mission-control/contracts';
import semver from 'semver';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPresentedPage } from '../../http/pagination.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import {
  findListingRow,
  findListingTitles,
  findListingVersionRow,
  insertListing,
  insertListingVersion,
  type ListingRow,
  type ListingViewer,
  listListingRows,
  updateListingRow,
} from './listing.repository.js';
import {
  assertContentPublishable,
  buildListingContent,
  type ListingContentDependencies,
  type ListingSource,
  readListingSources,
} from './listing-content.js';
import type { ListingFiguresService } from './listing-figures.service.js';
import { canEditListing, type ListingViewDependencies, readVisibility, toListings } from './listing-views.js';

const sourcesSchema = z.array(z.object({ kind: z.enum(['agent', 'workflow', 'skill']), id: z.string() }));

export interface ListingServiceDependencies extends ListingContentDependencies, ListingViewDependencies {
  organizations: Pick<OrganizationDirectory, 'findOrganizationNames' | 'listUserOrganizations' | 'findOrganizationOfWorkspace'>;
  /** Results of installed copies, on a listing's own page. */
  figures: Pick<ListingFiguresService, 'figuresOf'>;
}

function listingNotFound(): AppError {
  return new AppError(
    'LISTING_NOT_FOUND',
    'No listing with this id that you can see. Search the marketplace with GET /api/v1/marketplace/search.',
  );
}

/** Listings and their versions: publishing from a workspace, editing, forking, reading. */
export class ListingService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: ListingServiceDependencies,
  ) {}

  /** What the person may see and edit, from the organisations they belong to. */
  async viewerOf(principal: Principal): Promise<ListingViewer> {
    if (principal.kind !== 'user') return { userId: principal.id, organizationIds: [], adminOrganizationIds: [] };
    const organizations = await this.dependencies.organizations.listUserOrganizations(principal.id);
    return {
      userId: principal.id,
      organizationIds: organizations.map((organization) => organization.id),
      adminOrganizationIds: organizations.filter((organization) => organization.role !== 'member').map((organization) => organization.id),
    };
  }

  /** A listing the viewer may open (unlisted ones by id; organisation-only ones by its members), or 404. */
  async requireVisibleListing(viewer: ListingViewer, listingId: string, executor: DatabaseExecutor = this.context.db): Promise<ListingRow> {
    const row = await findListingRow(executor, listingId);
    if (!row) throw listingNotFound();
    const visibility = readVisibility(row);
    const visible =
      visibility !== 'organization' ||
      canEditListing(row, viewer) ||
      (row.organization_id !== null && viewer.organizationIds.includes(row.organization_id));
    if (!visible) throw listingNotFound();
    return row;
  }

  private async requireEditableListing(viewer: ListingViewer, listingId: string, executor: DatabaseExecutor): Promise<ListingRow> {
    const row = await this.requireVisibleListing(viewer, listingId, executor);
    if (!canEditListing(row, viewer)) {
      throw new AppError(
        'FORBIDDEN',
        'Only the listing’s publisher can change it (for an organisation: its owners and admins). Fork it to make your own.',
      );
    }
    return row;
  }

  /** The content of one version; the latest when none is named. */
  async readVersionContent(row: ListingRow, version: string | undefined, executor: DatabaseExecutor = this.context.db) {
    const wanted = version ?? row.latest_version;
    const versionRow = await findListingVersionRow(executor, row.id, wanted);
    if (!versionRow) {
      throw new AppError('LISTING_VERSION_NOT_FOUND', `${row.title} has no version ${wanted}. Its versions are listed on the listing.`, {
        latestVersion: row.latest_version,
      });
    }
    return {
      version: wanted,
      content: parseJsonColumn(listingContentSchema, versionRow.content, 'marketplace_listing_versions.content'),
      row: versionRow,
    };
  }

  private async toListing(row: ListingRow, viewer: ListingViewer): Promise<Listing> {
    const [listing] = await toListings(this.context.db, this.dependencies, [row], viewer, this.context.clock.now());
    if (!listing) throw listingNotFound();
    return listing;
  }

  /** Titles by id, deleted listings included (the credit history names what was bought). */
  findTitles(listingIds: readonly string[]): Promise<Map<string, string>> {
    return findListingTitles(this.context.db, listingIds);
  }

  /** Listings as the API answers them, for the search and the installations list. */
  presentListings(rows: readonly ListingRow[], viewer: ListingViewer): Promise<Listing[]> {
    return toListings(this.context.db, this.dependencies, rows, viewer, this.context.clock.now());
  }

  private async resolvePublisher(
    principal: Principal,
    viewer: ListingViewer,
    publisher: { kind: 'user' | 'organization'; id?: string | undefined },
  ) {
    if (publisher.kind === 'user') {
      return {
        kind: 'user' as const,
        id: principal.id,
        organizationId: await this.dependencies.organizations.findOrganizationOfWorkspace(principal.workspaceId),
      };
    }
    if (!publisher.id || !viewer.organizationIds.includes(publisher.id)) {
      throw new AppError(
        'ORGANIZATION_NOT_FOUND',
        'Publish for an organisation you belong to: give its id (GET /api/v1/organizations lists yours).',
      );
    }
    if (!viewer.adminOrganizationIds.includes(publisher.id)) {
      throw new AppError('FORBIDDEN', 'Only an organisation’s owners and admins publish for it. Publish as yourself, or ask one of them.');
    }
    return { kind: 'organization' as const, id: publisher.id, organizationId: publisher.id };
  }

  private async buildCheckedContent(principal: Principal, sources: readonly ListingSource[]): Promise<ListingContent> {
    const content = await buildListingContent(this.dependencies, principal, sources);
    assertContentPublishable(content);
    return content;
  }

  async createListing(principal: Principal, given: CreateListingInput): Promise<Listing> {
    assertCan(principal, 'agent:manage');
    const input = createListingSchema.parse(given);
    const viewer = await this.viewerOf(principal);
    const publisher = await this.resolvePublisher(principal, viewer, input.publisher);
    const sources = readListingSources(input.kind, input.sourceId, input.sourceIds);
    const content = await this.buildCheckedContent(principal, sources);
    const now = this.context.clock.now().toISOString();
    const id = createId();
    await this.context.db.transaction().execute(async (trx) => {
      await insertListing(trx, {
        id,
        kind: input.kind,
        title: input.title,
        summary: input.summary,
        description: input.description,
        category: input.category,
        tags: JSON.stringify([...new Set(input.tags)]),
        tags_text: [...new Set(input.tags)].join(' '),
        publisher_kind: publisher.kind,
        publisher_id: publisher.id,
        created_by: principal.id,
        organization_id: publisher.organizationId,
        visibility: input.visibility,
        pricing: JSON.stringify(input.pricing),
        pricing_model: input.pricing.model,
        latest_version: input.version,
        sources: JSON.stringify(sources),
        source_workspace_id: principal.workspaceId,
        forked_from_listing_id: null,
        forked_from_title: null,
        forked_from_version: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
      await insertListingVersion(trx, {
        listing_id: id,
        version: input.version,
        changelog: input.changelog,
        content: JSON.stringify(content),
        created_at: now,
      });
    });
    return this.getListing(principal, id);
  }

  async listListings(principal: Principal, query: ListListingsQuery): Promise<Page<Listing>> {
    const viewer = await this.viewerOf(principal);
    const rows = await listListingRows(this.context.db, {
      viewer,
      mine: query.mine ?? false,
      kind: query.kind,
      before: decodeCursor(query.cursor, 'string'),
      limit: query.limit,
    });
    return toPresentedPage(
      rows,
      query.limit,
      (pageRows) => this.presentListings(pageRows, viewer),
      (row) => row.id,
    );
  }

  async getListing(principal: Principal, listingId: string): Promise<Listing> {
    const viewer = await this.viewerOf(principal);
    const listing = await this.toListing(await this.requireVisibleListing(viewer, listingId), viewer);
    // Figures are of agents' work: a workflow or a skill alone has no agent to measure.
    if (listing.kind !== 'agent' && listing.kind !== 'bundle') return listing;
    return { ...listing, figures: await this.dependencies.figures.figuresOf(listing.id) };
  }

  async updateListing(principal: Principal, listingId: string, input: UpdateListingInput): Promise<Listing> {
    const viewer = await this.viewerOf(principal);
    await this.context.db.transaction().execute(async (trx) => {
      await this.requireEditableListing(viewer, listingId, trx);
      const tags = input.tags ? [...new Set(input.tags)] : undefined;
      await updateListingRow(trx, listingId, {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.summary !== undefined ? { summary: input.summary } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(tags ? { tags: JSON.stringify(tags), tags_text: tags.join(' ') } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.pricing !== undefined ? { pricing: JSON.stringify(input.pricing), pricing_model: input.pricing.model } : {}),
        updated_at: this.context.clock.now().toISOString(),
      });
    });
    return this.getListing(principal, listingId);
  }

  async deleteListing(principal: Principal, listingId: string): Promise<void> {
    const viewer = await this.viewerOf(principal);
    await this.context.db.transaction().execute(async (trx) => {
      await this.requireEditableListing(viewer, listingId, trx);
      const now = this.context.clock.now().toISOString();
      await updateListingRow(trx, listingId, { deleted_at: now, updated_at: now });
    });
  }

  async createVersion(principal: Principal, listingId: string, given: unknown): Promise<Listing> {
    const input = createListingVersionSchema.parse(given);
    const viewer = await this.viewerOf(principal);
    const row = await this.requireEditableListing(viewer, listingId, this.context.db);
    if (!semver.gt(input.version, row.latest_version)) {
      throw new AppError(
        'LISTING_VERSION_NOT_HIGHER',
        `${input.version} is not higher than the latest version, ${row.latest_version}. Use ${semver.inc(row.latest_version, 'minor')} for example.`,
        { latestVersion: row.latest_version },
      );
    }
    let content: ListingContent;
    if (input.refreshFromSource) {
      const sources = parseJsonColumn(sourcesSchema, row.sources, 'marketplace_listings.sources');
      if (sources.length === 0 || row.source_workspace_id !== principal.workspaceId) {
        throw new AppError(
          'LISTING_SOURCE_NOT_FOUND',
          'This listing was not published from the workspace you are signed in to (or is a fork): publish with refreshFromSource false, or sign in to the workspace it came from.',
          { kind: 'workspace', id: row.source_workspace_id },
        );
      }
      assertCan(principal, 'agent:manage');
      content = await this.buildCheckedContent(principal, sources);
    } else {
      content = (await this.readVersionContent(row, undefined)).content;
    }
    const now = this.context.clock.now().toISOString();
    await this.context.db.transaction().execute(async (trx) => {
      const current = await this.requireEditableListing(viewer, listingId, trx);
      // Checked again in the transaction: two publishers racing with the same number get one version.
      if (!semver.gt(input.version, current.latest_version)) {
        throw new AppError(
          'LISTING_VERSION_NOT_HIGHER',
          `${input.version} is not higher than the latest version, ${current.latest_version}.`,
          {
            latestVersion: current.latest_version,
          },
        );
      }
      await insertListingVersion(trx, {
        listing_id: listingId,
        version: input.version,
        changelog: input.changelog,
        content: JSON.stringify(content),
        created_at: now,
      });
      await updateListingRow(trx, listingId, { latest_version: input.version, updated_at: now });
    });
    return this.getListing(principal, listingId);
  }

  async getVersion(principal: Principal, listingId: string, version: string): Promise<ListingVersion> {
    const viewer = await this.viewerOf(principal);
    const row = await this.requireVisibleListing(viewer, listingId);
    const found = await this.readVersionContent(row, version);
    return {
      listingId,
      version: found.version,
      changelog: found.row.changelog,
      content: found.content,
      createdAt: new Date(found.row.created_at).toISOString(),
    };
  }

  async forkListing(principal: Principal, listingId: string, input: ForkListingInput): Promise<Listing> {
    const viewer = await this.viewerOf(principal);
    const original = await this.requireVisibleListing(viewer, listingId);
    const { version, content } = await this.readVersionContent(original, input.version);
    const organizationId = await this.dependencies.organizations.findOrganizationOfWorkspace(principal.workspaceId);
    const now = this.context.clock.now().toISOString();
    const id = createId();
    await this.context.db.transaction().execute(async (trx) => {
      await insertListing(trx, {
        id,
        kind: original.kind,
        title: input.title ?? `${original.title} (fork)`.slice(0, 120),
        summary: original.summary,
        description: original.description,
        category: original.category,
        tags: JSON.stringify(parseJsonColumn(z.array(z.string()), original.tags, 'marketplace_listings.tags')),
        tags_text: original.tags_text,
        publisher_kind: 'user',
        publisher_id: principal.id,
        created_by: principal.id,
        organization_id: organizationId,
        visibility: 'unlisted',
        pricing: JSON.stringify({ model: 'free' }),
        pricing_model: 'free',
        latest_version: '1.0.0',
        sources: JSON.stringify([]),
        source_workspace_id: null,
        forked_from_listing_id: original.id,
        forked_from_title: original.title,
        forked_from_version: version,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
      await insertListingVersion(trx, {
        listing_id: id,
        version: '1.0.0',
        changelog: `Forked from ${original.title} ${version}`,
        content: JSON.stringify(content),
        created_at: now,
      });
    });
    return this.getListing(principal, id);
  }
}
