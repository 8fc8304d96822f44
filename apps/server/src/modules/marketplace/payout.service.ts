import type { CreatePayoutInput, Payout, PayoutAccount, PublisherReference, SetPayoutAccountInput } from '@mission-control/contracts';
import { payoutStatusSchema } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { runInOneTransaction } from '../../db/request-transaction.js';
import { AppError } from '../../http/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CreditService } from '../credits/credit.service.js';
import { type CreditAccountReference, outsideAccount } from '../credits/credit-ledger.js';
import type { PayoutTransfers } from '../credits/payout-transfers.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { UserService } from '../users/user.service.js';
import type { ListingService } from './listing.service.js';
import {
  findPayout,
  findPayoutAccount,
  insertPayout,
  listPayoutRows,
  listStalePendingPayoutIds,
  type PayoutRow,
  settlePayout,
  touchPayout,
  upsertPayoutAccount,
} from './payout.repository.js';

export interface PayoutServiceDependencies {
  listings: Pick<ListingService, 'viewerOf'>;
  credits: Pick<CreditService, 'recordMovement'>;
  organizations: Pick<OrganizationDirectory, 'findOrganizationNames'>;
  users: Pick<UserService, 'findUsers'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** Stripe Connect when Stripe is configured; without it payouts are recorded for an administrator to pay. */
  transfers: PayoutTransfers | undefined;
}

/** A pending payout is retried once nobody touched it for this long (a crash, or Stripe did not answer). */
const retryAfterMs = 60_000;
const retriesPerRun = 20;

function ledgerAccountOf(publisher: { kind: string; id: string }): CreditAccountReference {
  return { kind: publisher.kind === 'organization' ? 'publisher-organization' : 'publisher-user', ownerId: publisher.id };
}

/**
 * Paying out publishers' earnings: the credits leave the ledger first (so they cannot be spent or
 * paid twice), then the transfer is made with the payout's id as the idempotency key; a refusal
 * puts the credits back, and a transfer nobody confirmed is retried until it is.
 */
export class PayoutService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: PayoutServiceDependencies,
  ) {}

  /** The person themself, or an organisation they administer; anyone else's earnings are refused. */
  private async requirePublisher(principal: Principal, publisher: PublisherReference): Promise<void> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const allowed =
      principal.kind === 'user' &&
      (publisher.kind === 'user' ? publisher.id === principal.id : viewer.adminOrganizationIds.includes(publisher.id));
    if (!allowed) {
      throw new AppError(
        'FORBIDDEN',
        publisher.kind === 'user'
          ? 'You can pay out only your own earnings. Sign in as that person.'
          : 'Only the owners and admins of that organisation pay out its earnings.',
      );
    }
  }

  async setPayoutAccount(principal: Principal, input: SetPayoutAccountInput): Promise<PayoutAccount> {
    await this.requirePublisher(principal, input.publisher);
    const now = this.context.clock.now().toISOString();
    await runInOneTransaction(this.context.db, async () => {
      await upsertPayoutAccount(this.context.db, {
        publisher_kind: input.publisher.kind,
        publisher_id: input.publisher.id,
        stripe_account_id: input.stripeAccountId,
        updated_by: principal.id,
        updated_at: now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'payout-account.set',
        targetKind: input.publisher.kind === 'user' ? 'user' : 'organization',
        targetId: input.publisher.id,
        summary: `Payouts go to the Stripe account ${input.stripeAccountId}`,
        after: { stripeAccountId: input.stripeAccountId },
      });
    });
    return { publisher: input.publisher, stripeAccountId: input.stripeAccountId, updatedAt: now };
  }

  async createPayout(principal: Principal, input: CreatePayoutInput): Promise<Payout> {
    await this.requirePublisher(principal, input.publisher);
    const account = await findPayoutAccount(this.context.db, input.publisher.kind, input.publisher.id);
    const destination = this.dependencies.transfers && account ? account.stripe_account_id : null;
    const id = createId();
    await runInOneTransaction(this.context.db, async () => {
      const now = this.context.clock.now().toISOString();
      // Insufficient earnings throw CREDITS_INSUFFICIENT here, before anything is written.
      const { transaction } = await this.dependencies.credits.recordMovement(this.context.db, {
        kind: 'payout',
        key: `payout:${id}`,
        description: destination
          ? `Paid out to the Stripe account ${destination}`
          : 'Paid out (recorded for a server administrator to pay)',
        workspaceId: null,
        listingId: null,
        refundOf: null,
        actor: { kind: 'user', id: principal.id },
        entries: [
          { account: ledgerAccountOf(input.publisher), amount: -input.amount },
          { account: outsideAccount, amount: input.amount },
        ],
      });
      await insertPayout(this.context.db, {
        id,
        publisher_kind: input.publisher.kind,
        publisher_id: input.publisher.id,
        workspace_id: principal.workspaceId,
        amount: input.amount,
        status: destination ? 'pending' : 'recorded',
        destination,
        transfer_id: null,
        failure: null,
        transaction_id: transaction.id,
        requested_by: principal.id,
        created_at: now,
        updated_at: now,
      });
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'payout.requested',
        targetKind: input.publisher.kind === 'user' ? 'user' : 'organization',
        targetId: input.publisher.id,
        summary: destination
          ? `${input.amount} credits of earnings paid out to ${destination}`
          : `${input.amount} credits of earnings recorded as paid out; no Stripe account is connected`,
        after: { payoutId: id, amount: input.amount, destination },
      });
    });
    if (destination) {
      const settled = await this.attemptTransfer(id);
      if (settled?.status === 'failed') {
        throw new AppError(
          'PAYMENT_PROVIDER_FAILED',
          `Stripe refused the transfer to ${destination}: ${settled.failure ?? 'no reason given'}. The credits are back in the earnings; check the connected account and try again.`,
          { payoutId: id },
        );
      }
    }
    return this.getPayout(id);
  }

  /** Asks the adapter for the transfer and settles the payout by its answer; an unknown answer leaves it pending for the retry job. */
  private async attemptTransfer(payoutId: string): Promise<PayoutRow | undefined> {
    const row = await findPayout(this.context.db, payoutId);
    if (row?.status !== 'pending' || !row.destination || !this.dependencies.transfers) return row;
    const outcome = await this.dependencies.transfers.createTransfer({
      amount: Number(row.amount),
      destination: row.destination,
      idempotencyKey: `payout-${row.id}`,
      description: `Mission Control marketplace earnings (${row.id})`,
    });
    const now = this.context.clock.now().toISOString();
    if (outcome.kind === 'unknown') {
      await touchPayout(this.context.db, row.id, now);
      return findPayout(this.context.db, row.id);
    }
    await runInOneTransaction(this.context.db, async () => {
      const paid = outcome.kind === 'made';
      const changes = paid
        ? { status: 'paid', transfer_id: outcome.transferId, updated_at: now }
        : { status: 'failed', failure: outcome.reason, updated_at: now };
      if (!(await settlePayout(this.context.db, row.id, changes))) return;
      if (!paid) {
        await this.dependencies.credits.recordMovement(this.context.db, {
          kind: 'payout-returned',
          key: `payout-returned:${row.id}`,
          description: `Payout refused by Stripe, returned: ${outcome.reason}`,
          workspaceId: null,
          listingId: null,
          refundOf: row.transaction_id,
          actor: { kind: 'system', id: null },
          entries: [
            { account: outsideAccount, amount: -Number(row.amount) },
            { account: ledgerAccountOf({ kind: row.publisher_kind, id: row.publisher_id }), amount: Number(row.amount) },
          ],
        });
      }
      await this.dependencies.audit.recordAuditEntry(this.context.db, {
        workspaceId: row.workspace_id,
        actor: 'system',
        action: paid ? 'payout.paid' : 'payout.failed',
        targetKind: row.publisher_kind === 'user' ? 'user' : 'organization',
        targetId: row.publisher_id,
        summary: paid
          ? `Stripe transferred ${Number(row.amount)} credits to ${row.destination} (${outcome.transferId})`
          : `Stripe refused the payout of ${Number(row.amount)} credits; they are back in the earnings (${outcome.reason})`,
        after: paid ? { payoutId: row.id, transferId: outcome.transferId } : { payoutId: row.id, failure: outcome.reason },
      });
    });
    return findPayout(this.context.db, row.id);
  }

  /** Retries the transfers nobody confirmed (the periodic job; tests call it with their clock). Answers how many it settled. */
  async retryPendingPayouts(): Promise<number> {
    const before = new Date(this.context.clock.now().getTime() - retryAfterMs).toISOString();
    let settled = 0;
    for (const { id } of await listStalePendingPayoutIds(this.context.db, before, retriesPerRun)) {
      const row = await this.attemptTransfer(id);
      if (row && row.status !== 'pending') settled += 1;
    }
    return settled;
  }

  async listPayouts(principal: Principal): Promise<{ data: Payout[] }> {
    const viewer = await this.dependencies.listings.viewerOf(principal);
    const publishers =
      principal.kind === 'user'
        ? [{ kind: 'user', id: principal.id }, ...viewer.adminOrganizationIds.map((id) => ({ kind: 'organization', id }))]
        : [];
    return { data: await this.present(await listPayoutRows(this.context.db, publishers)) };
  }

  private async getPayout(id: string): Promise<Payout> {
    const row = await findPayout(this.context.db, id);
    const [payout] = row ? await this.present([row]) : [];
    if (!payout) throw new Error('A recorded payout could not be read back.');
    return payout;
  }

  private async present(rows: readonly PayoutRow[]): Promise<Payout[]> {
    const userIds = [...new Set(rows.flatMap((row) => [row.requested_by, ...(row.publisher_kind === 'user' ? [row.publisher_id] : [])]))];
    const people = new Map((await this.dependencies.users.findUsers(userIds)).map((user) => [user.id, user.name]));
    const organizations = await this.dependencies.organizations.findOrganizationNames([
      ...new Set(rows.filter((row) => row.publisher_kind === 'organization').map((row) => row.publisher_id)),
    ]);
    return rows.map((row) => ({
      id: row.id,
      publisher: {
        kind: row.publisher_kind === 'organization' ? 'organization' : 'user',
        id: row.publisher_id,
        name:
          (row.publisher_kind === 'organization' ? organizations.get(row.publisher_id) : people.get(row.publisher_id)) ??
          'A former publisher',
      },
      amount: Number(row.amount),
      status: payoutStatusSchema.parse(row.status),
      destination: row.destination,
      transferId: row.transfer_id,
      failure: row.failure,
      requestedBy: { id: row.requested_by, name: people.get(row.requested_by) ?? 'A former member' },
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }
}
