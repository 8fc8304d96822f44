import type { Installation, InstalledItem, InstallListingInput, UpdateInstallationInput } from '@mission-control/contracts';
import { installedItemSchema, installListingSchema } from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { runInOneTransaction } from '../../db/request-transaction.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserService } from '../users/user.service.js';
import {
  findInstallationRow,
  type InstallationRow,
  insertInstallation,
  listInstallationRows,
  updateInstallationRow,
} from './installation.repository.js';
import { createItemsFromContent, deleteInstalledItem, type InstallationItemDependencies } from './installation-items.js';
import { findListingRowEvenDeleted, findListingRows } from './listing.repository.js';
import type { ListingService } from './listing.service.js';
import { canEditListing, readPricing } from './listing-views.js';
import type { PurchaseService } from './purchase.service.js';

const itemsSchema = z.array(installedItemSchema);

export interface InstallationServiceDependencies extends InstallationItemDependencies {
  listings: Pick<ListingService, 'viewerOf' | 'requireVisibleListing' | 'readVersionContent'>;
  purchases: Pick<PurchaseService, 'hasEntitlement'>;
  users: Pick<UserService, 'findUsers'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
}

export function readInstalledItems(row: InstallationRow): InstalledItem[] {
  return parseJsonColumn(itemsSchema, row.items, 'marketplace_installations.items');
}

/** Installing listings into a workspace, listing what was installed, and uninstalling. */
export class InstallationService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: InstallationServiceDependencies,
  ) {}

  /** The workspace a call acts on: the one the caller is signed in to (a session or key belongs to one). */
  assertSignedInWorkspace(principal: Principal, workspaceId: string | undefined): void {
    if (workspaceId !== undefined && workspaceId !== principal.workspaceId) {
      throw new AppError(
        'WORKSPACE_NOT_FOUND',
        'You are signed in to another workspace. Switch to the workspace first (sign in to it), then install, list or change its installations.',
      );
    }
  }

  async requireInstallation(
    principal: Principal,
    installationId: string,
    executor: DatabaseExecutor = this.context.db,
  ): Promise<InstallationRow> {
    const row = await findInstallationRow(executor, principal.workspaceId, installationId);
    if (!row) {
      throw new AppError(
        'INSTALLATION_NOT_FOUND',
        'No installation with this id in your workspace. List them with GET /api/v1/marketplace/installations.',
      );
    }
    return row;
  }

  requireActive(row: InstallationRow): void {
    if (row.status === 'paused') {
      throw new AppError(
        'INSTALLATION_NOT_ACTIVE',
        'This installation is paused: the rental it came from ended, or its subscription stopped. Rent or subscribe again (or raise the spending limit) and it resumes; or uninstall it.',
      );
    }
    if (row.status !== 'active') {
      throw new AppError('INSTALLATION_NOT_ACTIVE', 'This installation was uninstalled. Install the listing again instead.');
    }
  }

  async toInstallations(rows: readonly InstallationRow[]): Promise<Installation[]> {
    const listings = new Map(
      (await findListingRows(this.context.db, [...new Set(rows.map((row) => row.listing_id))])).map((row) => [row.id, row]),
    );
    const userIds = [...new Set(rows.flatMap((row) => (row.installed_by ? [row.installed_by] : [])))];
    const users = new Map((await this.dependencies.users.findUsers(userIds)).map((user) => [user.id, user.name]));
    return rows.map((row) => ({
      id: row.id,
      listingId: row.listing_id,
      listingTitle: listings.get(row.listing_id)?.title ?? 'A removed listing',
      workspaceId: row.workspace_id,
      version: row.version,
      status: row.status === 'active' || row.status === 'paused' ? row.status : 'uninstalled',
      items: readInstalledItems(row),
      shareFigures: row.share_figures === 1,
      installedBy: { id: row.installed_by ?? '', name: (row.installed_by && users.get(row.installed_by)) || 'A former member' },
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  async toInstallation(row: InstallationRow): Promise<Installation> {
    const [installation] = await this.toInstallations([row]);
    if (!installation) throw new Error('An installation row did not map to an installation.');
    return installation;
  }

  async installListing(principal: Principal, listingId: string, given: InstallListingInput): Promise<Installation> {
    assertCan(principal, 'agent:manage');
    const input = installListingSchema.parse(given);
    this.assertSignedInWorkspace(principal, input.workspaceId);
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const listing = await this.dependencies.listings.requireVisibleListing(viewer, listingId);
    const pricing = readPricing(listing);
    const paidFor =
      pricing.model === 'free' ||
      canEditListing(listing, viewer) ||
      (await this.dependencies.purchases.hasEntitlement(listing.id, principal.workspaceId));
    if (!paidFor) {
      const how =
        pricing.model === 'one-off'
          ? `Buy it first (POST /api/v1/marketplace/listings/${listing.id}/purchase, ${pricing.priceCredits} credits), then install it.`
          : pricing.model === 'rental'
            ? `Rent it first (POST /api/v1/marketplace/listings/${listing.id}/purchase, ${pricing.priceCredits} credits for ${pricing.days} days), then install it; a rental that ended is rented again the same way.`
            : pricing.model === 'subscription'
              ? `Subscribe first (POST /api/v1/marketplace/listings/${listing.id}/purchase, ${pricing.monthlyCredits} credits a month), then install it; a stopped subscription resumes once it is paid.`
              : `Subscribe first with a monthly spending limit (POST /api/v1/marketplace/listings/${listing.id}/purchase with spendingLimitCredits; ${pricing.creditsPerUnit} credits per ${pricing.unit}), then install it; a stopped subscription resumes when its limit is raised.`;
      throw new AppError('LISTING_PAYMENT_REQUIRED', `${listing.title} is a paid listing and this workspace has not bought it. ${how}`, {
        pricing,
      });
    }
    const { version, content } = await this.dependencies.listings.readVersionContent(listing, input.version);
    const id = createId();
    // Every agent, workflow and skill goes through its own service, inside this one transaction:
    // a failure half-way (a limit, a taken name) leaves nothing behind.
    const row = await runInOneTransaction(this.context.db, async () => {
      const items = await createItemsFromContent(this.dependencies, principal, content, input.options.namePrefix ?? '');
      const now = this.context.clock.now();
      const created = {
        id,
        listing_id: listing.id,
        workspace_id: principal.workspaceId,
        version,
        status: 'active' as const,
        items: JSON.stringify(items),
        share_figures: input.options.shareFigures ? 1 : 0,
        installed_by: principal.kind === 'user' ? principal.id : null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await insertInstallation(this.context.db, created);
      await appendEvent(this.context.db, {
        workspaceId: principal.workspaceId,
        type: 'listing-installed',
        actor: toPrincipalReference(principal),
        summary: `${listing.title} ${version} was installed from the marketplace`,
        data: {
          installationId: id,
          listingId: listing.id,
          title: listing.title,
          version,
          items: items.map(({ kind, id: itemId, name }) => ({ kind, id: itemId, name })),
        },
        at: now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'listing.installed',
        targetKind: 'listing',
        targetId: listing.id,
        summary: `${listing.title} ${version} installed: ${items.map((item) => `${item.kind} ${item.name}`).join(', ') || 'nothing to create'}`,
        after: { version, items: items.length },
      });
      return created;
    });
    return this.toInstallation(row);
  }

  async listInstallations(
    principal: Principal,
    query: { workspaceId?: string | undefined; status: 'active' | 'paused' | 'uninstalled' | 'all' },
  ) {
    this.assertSignedInWorkspace(principal, query.workspaceId);
    return { data: await this.toInstallations(await listInstallationRows(this.context.db, principal.workspaceId, query.status)) };
  }

  /** Gives or takes back the installer's consent to count this installation's results in the listing's figures. */
  async updateInstallation(principal: Principal, installationId: string, input: UpdateInstallationInput): Promise<Installation> {
    assertCan(principal, 'agent:manage');
    const row = await this.requireInstallation(principal, installationId);
    await runInOneTransaction(this.context.db, async () => {
      await updateInstallationRow(this.context.db, row.id, {
        share_figures: input.shareFigures ? 1 : 0,
        updated_at: this.context.clock.now().toISOString(),
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: row.workspace_id,
        actor: principal,
        action: 'listing.figures-consent-changed',
        targetKind: 'listing',
        targetId: row.listing_id,
        summary: input.shareFigures
          ? 'The installation’s results now count in the listing’s figures'
          : 'The installation’s results no longer count in the listing’s figures',
        before: { shareFigures: row.share_figures === 1 },
        after: input,
      });
    });
    return this.toInstallation(await this.requireInstallation(principal, installationId));
  }

  async uninstallListing(principal: Principal, installationId: string): Promise<Installation> {
    assertCan(principal, 'agent:manage');
    const row = await this.requireInstallation(principal, installationId);
    // A paused installation (its rental ended) is uninstalled like an active one.
    if (row.status !== 'paused') this.requireActive(row);
    const listing = await findListingRowEvenDeleted(this.context.db, row.listing_id);
    const title = listing?.title ?? 'A removed listing';
    const items = readInstalledItems(row);
    await runInOneTransaction(this.context.db, async () => {
      // Agents first: a skill or workflow an agent still uses goes after it.
      const ordered = [...items].sort((left, right) => (left.kind === 'agent' ? -1 : 0) - (right.kind === 'agent' ? -1 : 0));
      for (const item of ordered) await deleteInstalledItem(this.dependencies, principal, item);
      const now = this.context.clock.now();
      await updateInstallationRow(this.context.db, row.id, { status: 'uninstalled', updated_at: now.toISOString() });
      await appendEvent(this.context.db, {
        workspaceId: principal.workspaceId,
        type: 'listing-uninstalled',
        actor: toPrincipalReference(principal),
        summary: `${title} was uninstalled`,
        data: {
          installationId: row.id,
          listingId: row.listing_id,
          title,
          version: row.version,
          items: items.map(({ kind, id, name }) => ({ kind, id, name })),
        },
        at: now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'listing.uninstalled',
        targetKind: 'listing',
        targetId: row.listing_id,
        summary: `${title} uninstalled: what it created was deleted`,
        before: { version: row.version, items: items.length },
      });
    });
    return this.toInstallation(await this.requireInstallation(principal, installationId));
  }
}
