import type {
  Dispute,
  ListDisputesQuery,
  ListRentalsQuery,
  OpenDisputeInput,
  Rental,
  ResolveDisputeInput,
} from '@mission-control/contracts';
import { disputeStatusSchema } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { systemPrincipal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { runInOneTransaction } from '../../db/request-transaction.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CreditService } from '../credits/credit.service.js';
import { workspaceAccount } from '../credits/credit.service.js';
import { platformAccount } from '../credits/credit-ledger.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { pauseInstallationsOfListing } from './installation-access.js';
import { findListingRowEvenDeleted, findListingRows, type ListingRow } from './listing.repository.js';
import { publisherAccount, rentalEscrowAccount } from './marketplace-accounts.js';
import {
  claimAccessEnd,
  type DisputeRow,
  findDispute,
  findDisputesOfRentals,
  findRental,
  findRentals,
  insertDispute,
  listDisputeRows,
  listDueRentalIds,
  listRentalRows,
  moveRentalStatus,
  type RentalRow,
  resolveDisputeRow,
  updateRentalRow,
} from './rental.repository.js';
import { toRental, toRentalPeriod } from './rental-views.js';

export interface RentalServiceDependencies {
  credits: Pick<CreditService, 'recordMovement' | 'balanceOf'>;
  organizations: Pick<OrganizationDirectory, 'isServerAdministrator'>;
  users: Pick<UserService, 'findUsers'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  agents: Pick<AgentService, 'pauseAgents'>;
  workspaces: Pick<WorkspaceService, 'listMembers'>;
  notifications: Pick<NotificationService, 'notifyInTransaction'>;
  /** The platform's share of what is released to a publisher, in percent. */
  feePercent: number;
}

/** Rentals a periodic run ends at most; the next run takes the rest. */
const rentalsPerRun = 50;

/** Who is told about a rental: the renting workspace's owners, and the publisher where they published from. */
interface Recipients {
  workspaceOwners: string[];
  publisher: { workspaceId: string; userId: string } | null;
}

/** The end of rental periods (escrow released, installs paused) and disputes resolved by server administrators. */
export class RentalService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: RentalServiceDependencies,
  ) {}

  private fee(amount: number): number {
    return Math.floor((amount * this.dependencies.feePercent) / 100);
  }

  /** Read before a transaction: the workspaces service runs its own queries. */
  private async recipientsOf(rental: RentalRow, listing: ListingRow | undefined): Promise<Recipients> {
    const members = await this.dependencies.workspaces.listMembers(systemPrincipal(rental.workspace_id));
    const userId = listing?.publisher_kind === 'user' ? listing.publisher_id : listing?.created_by;
    return {
      workspaceOwners: members.filter((member) => member.role === 'owner').map((member) => member.user.id),
      // A publisher is reached in the workspace they published from: notifications belong to a workspace.
      publisher: listing?.source_workspace_id && userId ? { workspaceId: listing.source_workspace_id, userId } : null,
    };
  }

  /** Inside the caller's transaction (this.context.db joins it). */
  private async notify(recipients: Recipients, workspaceId: string, toWorkspace: string, toPublisher: string | null): Promise<void> {
    await this.dependencies.notifications.notifyInTransaction(
      this.context.db,
      workspaceId,
      null,
      recipients.workspaceOwners.map((id) => ({
        recipient: { kind: 'user' as const, id },
        taskId: null,
        reason: 'system' as const,
        kind: 'system' as const,
        content: toWorkspace,
      })),
    );
    if (toPublisher && recipients.publisher) {
      await this.dependencies.notifications.notifyInTransaction(this.context.db, recipients.publisher.workspaceId, null, [
        {
          recipient: { kind: 'user', id: recipients.publisher.userId },
          taskId: null,
          reason: 'system',
          kind: 'system',
          content: toPublisher,
        },
      ]);
    }
  }

  /**
   * Ends every rental past its end (the periodic job; tests call it with their clock). An active
   * rental's escrow goes to the publisher less the fee; a disputed one keeps its escrow for the
   * administrator. Either way the access ends: what was installed from it is paused.
   */
  async endDueRentals(): Promise<number> {
    const due = await listDueRentalIds(this.context.db, this.context.clock.now().toISOString(), rentalsPerRun);
    let ended = 0;
    for (const { id } of due) if (await this.endRental(id)) ended += 1;
    return ended;
  }

  private async endRental(rentalId: string): Promise<boolean> {
    const before = await findRental(this.context.db, rentalId);
    if (!before || before.access_ended_at !== null) return false;
    const listing = await findListingRowEvenDeleted(this.context.db, before.listing_id);
    const recipients = await this.recipientsOf(before, listing);
    const title = listing?.title ?? 'A removed listing';
    return runInOneTransaction(this.context.db, async () => {
      const now = this.context.clock.now().toISOString();
      // Another instance may be ending it at the same moment: the claim lets one of them through.
      if (!(await claimAccessEnd(this.context.db, rentalId, now))) return false;
      const rental = await findRental(this.context.db, rentalId);
      if (!rental) return false;
      let released: { amount: number; fee: number } | null = null;
      if (rental.status === 'active' && listing) {
        const escrow = await this.dependencies.credits.balanceOf(rentalEscrowAccount(rental.id), this.context.db);
        const fee = this.fee(escrow);
        if (escrow > 0) {
          await this.dependencies.credits.recordMovement(this.context.db, {
            kind: 'release',
            key: `release:${rental.id}`,
            description: `Rental of ${title} ended: escrow released to the publisher`,
            workspaceId: rental.workspace_id,
            listingId: rental.listing_id,
            refundOf: null,
            actor: { kind: 'system', id: null },
            entries: [
              { account: rentalEscrowAccount(rental.id), amount: -escrow },
              { account: publisherAccount(listing), amount: escrow - fee },
              { account: platformAccount, amount: fee },
            ],
          });
        }
        await moveRentalStatus(this.context.db, rental.id, 'active', 'released', now);
        released = { amount: escrow, fee };
      }
      const paused = await pauseInstallationsOfListing(this.context.db, this.dependencies.agents, {
        workspaceId: rental.workspace_id,
        listingId: rental.listing_id,
        reason: 'rental-ended',
        now,
      });
      if (released) {
        await this.dependencies.audit.recordAuditEntry(this.context.db, {
          workspaceId: rental.workspace_id,
          actor: 'system',
          action: 'rental.released',
          targetKind: 'listing',
          targetId: rental.listing_id,
          summary: `The rental of ${title} ended: ${released.amount} credits released to the publisher (${released.fee} to the platform), ${paused} installation(s) paused`,
          after: { rentalId: rental.id, released: released.amount, fee: released.fee, paused },
        });
      }
      const disputed = rental.status === 'disputed' ? ' Its payment stays in escrow until the dispute is resolved.' : '';
      await this.notify(
        recipients,
        rental.workspace_id,
        `Your rental of ${title} ended: what you installed from it is paused.${disputed} Rent it again to go on using it.`,
        released ? `A rental of ${title} ended: ${released.amount - released.fee} credits were released to you.` : null,
      );
      return true;
    });
  }

  private async requireAdministrator(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !(await this.dependencies.organizations.isServerAdministrator(principal.id))) {
      throw new AppError(
        'INSTANCE_ADMIN_REQUIRED',
        'Only an administrator of this server resolves disputes (the owners of its first organisation).',
      );
    }
  }

  private async toDisputes(rows: readonly DisputeRow[]): Promise<Dispute[]> {
    const rentals = new Map(
      (
        await findRentals(
          this.context.db,
          rows.map((row) => row.rental_id),
        )
      ).map((row) => [row.id, row]),
    );
    const listingIds = [...new Set([...rentals.values()].map((rental) => rental.listing_id))];
    const listings = new Map((await findListingRows(this.context.db, listingIds)).map((row) => [row.id, row.title]));
    const userIds = [...new Set(rows.flatMap((row) => [row.opened_by, ...(row.resolved_by ? [row.resolved_by] : [])]))];
    const names = new Map((await this.dependencies.users.findUsers(userIds)).map((user) => [user.id, user.name]));
    const person = (id: string) => ({ id, name: names.get(id) ?? 'A former member' });
    return rows.map((row) => {
      const rental = rentals.get(row.rental_id);
      if (!rental) throw new Error(`The dispute ${row.id} names a rental that is gone.`);
      return {
        id: row.id,
        rentalId: row.rental_id,
        workspaceId: row.workspace_id,
        listing: { id: rental.listing_id, title: listings.get(rental.listing_id) ?? 'A removed listing' },
        rental: toRentalPeriod(rental),
        reason: row.reason,
        status: disputeStatusSchema.parse(row.status),
        openedBy: person(row.opened_by),
        resolution:
          row.status === 'resolved' && row.resolved_by && row.resolved_at
            ? {
                outcome: row.outcome === 'refund' ? 'refund' : 'release',
                refunded: Number(row.refunded ?? 0),
                released: Number(row.released ?? 0),
                reason: row.resolution_reason ?? '',
                by: person(row.resolved_by),
                at: new Date(row.resolved_at).toISOString(),
              }
            : null,
        createdAt: new Date(row.created_at).toISOString(),
      };
    });
  }

  private async toDispute(row: DisputeRow): Promise<Dispute> {
    const [dispute] = await this.toDisputes([row]);
    if (!dispute) throw new Error('A dispute row did not map to a dispute.');
    return dispute;
  }

  /** Opened by the renting workspace's owners and admins while the escrow is held: the end of the period then releases nothing. */
  async openDispute(principal: Principal, input: OpenDisputeInput): Promise<Dispute> {
    assertCan(principal, 'workspace:manage');
    const rental = await findRental(this.context.db, input.rentalId);
    if (!rental || rental.workspace_id !== principal.workspaceId) {
      throw new AppError(
        'RENTAL_NOT_FOUND',
        'No rental with this id in your workspace. Renting a listing (POST /api/v1/marketplace/listings/{id}/purchase) answers its rental id.',
      );
    }
    const id = createId();
    await this.context.db.transaction().execute(async (trx) => {
      const now = this.context.clock.now().toISOString();
      // Conditional: a release landing meanwhile leaves the rental released, and this refuses.
      if (!(await moveRentalStatus(trx, rental.id, 'active', 'disputed', now))) {
        const current = await findRental(trx, rental.id);
        throw new AppError(
          'DISPUTE_NOT_ALLOWED',
          `This rental is ${current?.status ?? 'gone'}: its payment is no longer held in escrow, so it cannot be disputed. Ask a server administrator for a refund instead.`,
          { status: current?.status ?? null },
        );
      }
      await insertDispute(trx, {
        id,
        rental_id: rental.id,
        workspace_id: rental.workspace_id,
        reason: input.reason,
        status: 'open',
        opened_by: principal.id,
        outcome: null,
        refunded: null,
        released: null,
        resolution_reason: null,
        resolved_by: null,
        resolved_at: null,
        created_at: now,
      });
      await this.dependencies.audit.recordAuditEntry(trx, {
        workspaceId: rental.workspace_id,
        actor: principal,
        action: 'rental.disputed',
        targetKind: 'listing',
        targetId: rental.listing_id,
        summary: `Rental disputed: ${input.reason}`,
        after: { rentalId: rental.id, disputeId: id },
      });
    });
    const row = await findDispute(this.context.db, id);
    if (!row) throw new Error('An opened dispute could not be read back.');
    return this.toDispute(row);
  }

  /** The rentals of the workspace the principal is signed in to, with what each still holds in escrow. */
  async listRentals(principal: Principal, query: ListRentalsQuery): Promise<{ data: Rental[] }> {
    assertCan(principal, 'workspace:read');
    const rows = await listRentalRows(this.context.db, principal.workspaceId, query.status);
    const titles = new Map(
      (await findListingRows(this.context.db, [...new Set(rows.map((row) => row.listing_id))])).map((row) => [row.id, row.title]),
    );
    const disputes = new Map(
      (
        await findDisputesOfRentals(
          this.context.db,
          rows.map((row) => row.id),
        )
      ).map((row) => [row.rental_id, row.id]),
    );
    const data: Rental[] = [];
    for (const row of rows) {
      const escrowCredits = await this.dependencies.credits.balanceOf(rentalEscrowAccount(row.id), this.context.db);
      data.push(toRental(row, { title: titles.get(row.listing_id), escrowCredits, disputeId: disputes.get(row.id) ?? null }));
    }
    return { data };
  }

  /** Server administrators see every dispute; others those of the workspace they are signed in to. */
  async listDisputes(principal: Principal, query: ListDisputesQuery): Promise<{ data: Dispute[] }> {
    const administrator = principal.kind === 'user' && (await this.dependencies.organizations.isServerAdministrator(principal.id));
    if (!administrator) assertCan(principal, 'workspace:read');
    const rows = await listDisputeRows(this.context.db, {
      workspaceId: administrator ? null : principal.workspaceId,
      status: query.status,
    });
    return { data: await this.toDisputes(rows) };
  }

  /**
   * Refunds all or part of the escrow to the workspace and releases the rest to the publisher (less
   * the fee on what is released), in one ledger movement. A refund ends the access at once.
   */
  async resolveDispute(principal: Principal, disputeId: string, input: ResolveDisputeInput): Promise<Dispute> {
    await this.requireAdministrator(principal);
    const dispute = await findDispute(this.context.db, disputeId);
    if (!dispute) throw new AppError('DISPUTE_NOT_FOUND', 'No dispute with this id. List them with GET /api/v1/marketplace/disputes.');
    const alreadyResolved = () =>
      new AppError(
        'DISPUTE_ALREADY_RESOLVED',
        'This dispute was resolved already; its resolution is on it (GET /api/v1/marketplace/disputes).',
      );
    if (dispute.status !== 'open') throw alreadyResolved();
    const rental = await findRental(this.context.db, dispute.rental_id);
    if (!rental) throw new AppError('RENTAL_NOT_FOUND', 'The rental of this dispute is gone (its workspace or listing was deleted).');
    const listing = await findListingRowEvenDeleted(this.context.db, rental.listing_id);
    if (!listing) throw new AppError('RENTAL_NOT_FOUND', 'The listing of this rental is gone: there is no publisher to release to.');
    const recipients = await this.recipientsOf(rental, listing);
    await runInOneTransaction(this.context.db, async () => {
      const now = this.context.clock.now().toISOString();
      const escrow = await this.dependencies.credits.balanceOf(rentalEscrowAccount(rental.id), this.context.db);
      const refunded = input.outcome === 'refund' ? (input.refundAmount ?? escrow) : 0;
      if (refunded > escrow) {
        throw new AppError('REFUND_TOO_LARGE', `The escrow holds ${escrow} credits; refund at most that.`, { refundable: escrow });
      }
      if (
        !(await resolveDisputeRow(this.context.db, dispute.id, {
          outcome: input.outcome,
          refunded,
          released: escrow - refunded,
          resolution_reason: input.reason,
          resolved_by: principal.id,
          resolved_at: now,
        }))
      ) {
        throw alreadyResolved();
      }
      const released = escrow - refunded;
      const fee = this.fee(released);
      if (escrow > 0) {
        await this.dependencies.credits.recordMovement(this.context.db, {
          kind: refunded > 0 ? 'refund' : 'release',
          key: `dispute:${dispute.id}`,
          description: `Dispute over ${listing.title} resolved: ${refunded} credits refunded, ${released} released (${input.reason})`,
          workspaceId: rental.workspace_id,
          listingId: rental.listing_id,
          refundOf: refunded > 0 ? rental.transaction_id : null,
          actor: { kind: 'user', id: principal.id },
          entries: [
            { account: rentalEscrowAccount(rental.id), amount: -escrow },
            { account: workspaceAccount(rental.workspace_id), amount: refunded },
            { account: publisherAccount(listing), amount: released - fee },
            { account: platformAccount, amount: fee },
          ],
        });
      }
      const status = refunded === 0 ? 'released' : released === 0 ? 'refunded' : 'ended';
      await updateRentalRow(this.context.db, rental.id, { status, updated_at: now });
      // Money back ends the access now; a release lets the period run to its end (the job pauses it then).
      if (refunded > 0 && (await claimAccessEnd(this.context.db, rental.id, now)))
        await pauseInstallationsOfListing(this.context.db, this.dependencies.agents, {
          workspaceId: rental.workspace_id,
          listingId: rental.listing_id,
          reason: 'rental-refunded',
          now,
        });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: rental.workspace_id,
        actor: principal,
        action: 'rental.dispute-resolved',
        targetKind: 'listing',
        targetId: rental.listing_id,
        summary: `Dispute over ${listing.title} resolved: ${refunded} credits refunded, ${released} released to the publisher (${fee} to the platform): ${input.reason}`,
        before: { escrow },
        after: { disputeId: dispute.id, outcome: input.outcome, refunded, released, fee },
      });
      await this.notify(
        recipients,
        rental.workspace_id,
        `Your dispute over ${listing.title} was resolved: ${refunded} credits refunded to the workspace. ${input.reason}`,
        `A dispute over ${listing.title} was resolved: ${released - fee} credits released to you, ${refunded} refunded to the renter. ${input.reason}`,
      );
    });
    const row = await findDispute(this.context.db, dispute.id);
    if (!row) throw new Error('A resolved dispute could not be read back.');
    return this.toDispute(row);
  }
}
