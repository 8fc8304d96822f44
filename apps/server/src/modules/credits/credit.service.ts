import type {
  CreditAccountKind,
  CreditBalance,
  CreditTransaction,
  GrantCreditsInput,
  ListCreditTransactionsQuery,
  Page,
  RefundCreditsInput,
} from '@mission-control/contracts';
import { creditAccountKindSchema, creditTransactionKindSchema } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPresentedPage } from '../../http/pagination.js';
import type { AuditService } from '../audit/audit.service.js';
import type { OrganizationDirectory } from '../organizations/organization-directory.js';
import type { UserService } from '../users/user.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type CreditTransactionRow,
  countPurchaseTransactions,
  findCreditAccount,
  findCreditTransaction,
  listCreditEntriesOf,
  listCreditTransactionRows,
  listRefundsOf,
  sumCreditEntries,
  sumCreditEntriesByKind,
  sumPaidByKeyPrefix,
} from './credit.repository.js';
import { type CreditAccountReference, type CreditMovement, outsideAccount, recordCreditMovement } from './credit-ledger.js';

export interface CreditServiceDependencies {
  organizations: Pick<OrganizationDirectory, 'isServerAdministrator' | 'findOrganizationNames'>;
  users: Pick<UserService, 'findUsers'>;
  workspaces: Pick<WorkspaceService, 'findWorkspaceNames'>;
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** Titles of listings named by transactions. */
  listingTitles: (listingIds: readonly string[]) => Promise<Map<string, string>>;
}

const csvColumns = ['id', 'createdAt', 'kind', 'amount', 'description', 'listing', 'by'] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && typeof value !== 'number' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function workspaceAccount(workspaceId: string): CreditAccountReference {
  return { kind: 'workspace', ownerId: workspaceId };
}

/** Credits of workspaces and publishers: balances, history, grants by administrators and refunds. */
export class CreditService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: CreditServiceDependencies,
  ) {}

  /** Records a movement in the caller's transaction (purchases of the marketplace go through here). */
  recordMovement(executor: DatabaseExecutor, movement: CreditMovement) {
    return recordCreditMovement(this.context, executor, movement);
  }

  /** How many times a workspace bought a listing (refunded purchases included): each purchase gets its own key. */
  countPurchases(listingId: string, workspaceId: string, executor: DatabaseExecutor = this.context.db): Promise<number> {
    return countPurchaseTransactions(executor, listingId, workspaceId);
  }

  /** The balance of an account; 0 for one that never moved. */
  async balanceOf(account: CreditAccountReference, executor: DatabaseExecutor = this.context.db): Promise<number> {
    const row = await findCreditAccount(executor, account.kind, account.ownerId);
    return row ? sumCreditEntries(executor, row.id) : 0;
  }

  /** What a workspace paid since a moment in the transactions whose key starts with a prefix (a subscription's charges). */
  async paidByKeyPrefix(
    workspaceId: string,
    keyPrefix: string,
    since: string,
    executor: DatabaseExecutor = this.context.db,
  ): Promise<number> {
    const row = await findCreditAccount(executor, 'workspace', workspaceId);
    return row ? sumPaidByKeyPrefix(executor, row.id, keyPrefix, since) : 0;
  }

  private async requireAdministrator(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !(await this.dependencies.organizations.isServerAdministrator(principal.id))) {
      throw new AppError(
        'INSTANCE_ADMIN_REQUIRED',
        'Only an administrator of this server grants and refunds credits (the owners of its first organisation).',
      );
    }
  }

  async getBalance(principal: Principal): Promise<CreditBalance> {
    assertCan(principal, 'workspace:read');
    const account = await findCreditAccount(this.context.db, 'workspace', principal.workspaceId);
    if (!account) return { workspaceId: principal.workspaceId, balance: 0, spent: 0, received: 0 };
    const byKind = await sumCreditEntriesByKind(this.context.db, account.id);
    const total = (kind: string) => byKind.find((row) => row.kind === kind)?.total ?? 0;
    return {
      workspaceId: principal.workspaceId,
      balance: byKind.reduce((sum, row) => sum + row.total, 0),
      spent: -(total('purchase') + total('subscription') + total('usage') + total('refund')),
      received: total('grant') + total('top-up'),
    };
  }

  /** Transactions as the API answers them, from the point of view of one account. */
  async presentTransactions(rows: readonly CreditTransactionRow[], accountId: string | null): Promise<CreditTransaction[]> {
    const ids = rows.map((row) => row.id);
    const [entries, refunds] = await Promise.all([listCreditEntriesOf(this.context.db, ids), listRefundsOf(this.context.db, ids)]);
    const ownerIds = (kind: CreditAccountKind) => entries.filter((entry) => entry.kind === kind).map((entry) => entry.owner_id);
    const actorIds = rows.flatMap((row) => (row.actor_id ? [row.actor_id] : []));
    const [users, organizations, workspaces, listings] = await Promise.all([
      this.dependencies.users.findUsers([...new Set([...ownerIds('publisher-user'), ...actorIds])]),
      this.dependencies.organizations.findOrganizationNames(ownerIds('publisher-organization')),
      this.dependencies.workspaces.findWorkspaceNames(ownerIds('workspace')),
      this.dependencies.listingTitles(rows.flatMap((row) => (row.listing_id ? [row.listing_id] : []))),
    ]);
    const userNames = new Map(users.map((user) => [user.id, user.name]));
    const accountName = (kind: CreditAccountKind, ownerId: string) => {
      if (kind === 'platform') return 'Platform fee';
      if (kind === 'outside') return 'Outside this server';
      if (kind === 'escrow') return 'Escrow of a rental';
      if (kind === 'workspace') return workspaces.get(ownerId) ?? 'A removed workspace';
      if (kind === 'publisher-organization') return organizations.get(ownerId) ?? 'A removed organisation';
      return userNames.get(ownerId) ?? 'A former member';
    };
    return rows.map((row) => {
      const own = entries.filter((entry) => entry.transaction_id === row.id);
      return {
        id: row.id,
        kind: creditTransactionKindSchema.parse(row.kind),
        description: row.description,
        amount:
          accountId === null ? 0 : own.filter((entry) => entry.account_id === accountId).reduce((sum, entry) => sum + entry.amount, 0),
        entries: own.map((entry) => {
          const kind = creditAccountKindSchema.parse(entry.kind);
          return {
            account: { kind, id: entry.owner_id === '' ? null : entry.owner_id, name: accountName(kind, entry.owner_id) },
            amount: entry.amount,
          };
        }),
        listing: row.listing_id ? { id: row.listing_id, title: listings.get(row.listing_id) ?? 'A removed listing' } : null,
        refundOf: row.refund_of,
        refundedBy: refunds.find((refund) => refund.refund_of === row.id)?.id ?? null,
        by:
          row.actor_kind === 'user' && row.actor_id
            ? { kind: 'user' as const, name: userNames.get(row.actor_id) ?? 'A former member' }
            : { kind: 'system' as const, name: 'Mission Control' },
        createdAt: new Date(row.created_at).toISOString(),
      };
    });
  }

  async listTransactions(principal: Principal, query: ListCreditTransactionsQuery): Promise<Page<CreditTransaction>> {
    assertCan(principal, 'audit:read');
    return this.listAccountTransactions(workspaceAccount(principal.workspaceId), query);
  }

  /** Every matching transaction of the workspace as CSV (newest first, at most 100,000). */
  async exportTransactionsCsv(principal: Principal, query: ListCreditTransactionsQuery): Promise<string> {
    assertCan(principal, 'audit:read');
    return this.exportAccountTransactionsCsv(workspaceAccount(principal.workspaceId), query);
  }

  /** One account's history, newest first (a publisher's earnings too); the caller decided who may read it. */
  async listAccountTransactions(reference: CreditAccountReference, query: ListCreditTransactionsQuery): Promise<Page<CreditTransaction>> {
    const account = await findCreditAccount(this.context.db, reference.kind, reference.ownerId);
    if (!account) return { data: [], nextCursor: null };
    const rows = await listCreditTransactionRows(this.context.db, {
      accountId: account.id,
      kind: query.kind,
      from: query.from,
      to: query.to,
      before: decodeCursor(query.cursor, 'string'),
      limit: query.limit + 1,
    });
    return toPresentedPage(
      rows,
      query.limit,
      (pageRows) => this.presentTransactions(pageRows, account.id),
      (row) => row.id,
    );
  }

  /** One account's matching transactions as CSV (newest first, at most 100,000). */
  async exportAccountTransactionsCsv(reference: CreditAccountReference, query: ListCreditTransactionsQuery): Promise<string> {
    const account = await findCreditAccount(this.context.db, reference.kind, reference.ownerId);
    const rows = account
      ? await listCreditTransactionRows(this.context.db, {
          accountId: account.id,
          kind: query.kind,
          from: query.from,
          to: query.to,
          limit: 100_000,
        })
      : [];
    const transactions = account ? await this.presentTransactions(rows, account.id) : [];
    const lines = transactions.map((transaction) =>
      [
        transaction.id,
        transaction.createdAt,
        transaction.kind,
        transaction.amount,
        transaction.description,
        transaction.listing?.title ?? '',
        transaction.by.name,
      ]
        .map(csvCell)
        .join(','),
    );
    return `${[csvColumns.join(','), ...lines].join('\r\n')}\r\n`;
  }

  async grantCredits(principal: Principal, input: GrantCreditsInput, idempotencyKey: string | undefined): Promise<CreditTransaction> {
    await this.requireAdministrator(principal);
    const names = await this.dependencies.workspaces.findWorkspaceNames([input.workspaceId]);
    const workspaceName = names.get(input.workspaceId);
    if (!workspaceName) throw new AppError('WORKSPACE_NOT_FOUND', 'No workspace with this id on the server.');
    const { transaction } = await this.context.db.transaction().execute(async (trx) => {
      const recorded = await recordCreditMovement(this.context, trx, {
        kind: 'grant',
        key: idempotencyKey ? `grant:${principal.id}:${idempotencyKey}` : `grant:${crypto.randomUUID()}`,
        description: input.reason,
        workspaceId: input.workspaceId,
        listingId: null,
        refundOf: null,
        actor: { kind: 'user', id: principal.id },
        entries: [
          { account: outsideAccount, amount: -input.amount },
          { account: workspaceAccount(input.workspaceId), amount: input.amount },
        ],
      });
      if (!recorded.replayed) {
        await this.dependencies.audit.recordAuditEntry(trx, {
          workspaceId: input.workspaceId,
          actor: principal,
          action: 'credits.granted',
          targetKind: 'workspace',
          targetId: input.workspaceId,
          summary: `${input.amount} credits granted to ${workspaceName}: ${input.reason}`,
          after: { amount: input.amount },
        });
      }
      return recorded;
    });
    const account = await findCreditAccount(this.context.db, 'workspace', input.workspaceId);
    const [presented] = await this.presentTransactions([transaction], account?.id ?? null);
    if (!presented) throw new Error('A recorded grant could not be read back.');
    return presented;
  }

  /**
   * Refunds a purchase, all or part: each entry of the purchase moves back in proportion (the
   * workspace gets the amount, the publisher and the platform give back their shares).
   */
  async refundTransaction(
    principal: Principal,
    transactionId: string,
    input: RefundCreditsInput,
    onFullRefund: (executor: DatabaseExecutor, purchase: CreditTransactionRow) => Promise<void>,
  ): Promise<CreditTransaction> {
    await this.requireAdministrator(principal);
    const purchase = await findCreditTransaction(this.context.db, transactionId);
    if (purchase?.kind !== 'purchase' || !purchase.workspace_id) {
      throw new AppError(
        'CREDIT_TRANSACTION_NOT_FOUND',
        'No purchase with this id. Only purchases are refunded; list them with GET /api/v1/credits/transactions.',
      );
    }
    const workspaceId = purchase.workspace_id;
    const refund = await this.context.db.transaction().execute(async (trx) => {
      const entries = await listCreditEntriesOf(trx, [purchase.id]);
      const paid = -(entries.find((entry) => entry.kind === 'workspace' && entry.owner_id === workspaceId)?.amount ?? 0);
      const earlier = await listRefundsOf(trx, [purchase.id]);
      const refunded = (
        await listCreditEntriesOf(
          trx,
          earlier.map((row) => row.id),
        )
      )
        .filter((entry) => entry.kind === 'workspace')
        .reduce((sum, entry) => sum + entry.amount, 0);
      const refundable = paid - refunded;
      const amount = input.amount ?? refundable;
      if (amount <= 0 || amount > refundable) {
        throw new AppError('REFUND_TOO_LARGE', `${refundable} credits of this purchase are left to refund; ${amount} is too much.`, {
          refundable,
        });
      }
      // The receivers give back their share of `amount`; rounding goes to the last one, so the entries still sum to zero.
      const receivers = entries.filter((entry) => entry.amount > 0);
      let given = 0;
      const back = receivers.map((entry, index) => {
        const share = index === receivers.length - 1 ? amount - given : Math.floor((entry.amount * amount) / paid);
        given += share;
        return { account: { kind: creditAccountKindSchema.parse(entry.kind), ownerId: entry.owner_id }, amount: -share };
      });
      const recorded = await recordCreditMovement(this.context, trx, {
        kind: 'refund',
        key: `refund:${purchase.id}:${earlier.length + 1}`,
        description: input.reason,
        workspaceId,
        listingId: purchase.listing_id,
        refundOf: purchase.id,
        actor: { kind: 'user', id: principal.id },
        entries: [...back, { account: workspaceAccount(workspaceId), amount }],
      });
      if (amount === refundable) await onFullRefund(trx, purchase);
      await this.dependencies.audit.recordAuditEntry(trx, {
        workspaceId,
        actor: principal,
        action: 'credits.refunded',
        targetKind: 'credit-transaction',
        targetId: purchase.id,
        summary: `${amount} credits refunded: ${input.reason}`,
        after: { amount, refundable: refundable - amount },
      });
      return recorded.transaction;
    });
    const account = await findCreditAccount(this.context.db, 'workspace', workspaceId);
    const [presented] = await this.presentTransactions([refund], account?.id ?? null);
    if (!presented) throw new Error('A recorded refund could not be read back.');
    return presented;
  }

  /** Balances and sale counts of publisher accounts. */
  async summarisePublisher(account: CreditAccountReference): Promise<{ balance: number; sales: number }> {
    const row = await findCreditAccount(this.context.db, account.kind, account.ownerId);
    if (!row) return { balance: 0, sales: 0 };
    const byKind = await sumCreditEntriesByKind(this.context.db, row.id);
    return {
      balance: byKind.reduce((sum, entry) => sum + entry.total, 0),
      sales: byKind.find((entry) => entry.kind === 'purchase')?.count ?? 0,
    };
  }
}
