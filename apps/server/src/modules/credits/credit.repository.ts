import { type Insertable, type Selectable, sql } from 'kysely';
import { createId } from '../../core/ids.js';
import type { DatabaseExecutor, Engine } from '../../db/database.js';
import type { CreditTransactionTable } from '../../db/schema.js';

export type CreditTransactionRow = Selectable<CreditTransactionTable>;

/** The account of an owner, made on first use. */
export async function ensureCreditAccount(executor: DatabaseExecutor, kind: string, ownerId: string, now: string): Promise<string> {
  await executor
    .insertInto('credit_accounts')
    .values({ id: createId(), kind, owner_id: ownerId, created_at: now })
    .onConflict((conflict) => conflict.columns(['kind', 'owner_id']).doNothing())
    .execute();
  const row = await executor
    .selectFrom('credit_accounts')
    .select('id')
    .where('kind', '=', kind)
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findCreditAccount(executor: DatabaseExecutor, kind: string, ownerId: string) {
  return executor.selectFrom('credit_accounts').selectAll().where('kind', '=', kind).where('owner_id', '=', ownerId).executeTakeFirst();
}

/** Locks the accounts a movement touches, in one order for everyone, so two movements never deadlock. */
export async function lockCreditAccounts(executor: DatabaseExecutor, engine: Engine, accountIds: readonly string[]): Promise<void> {
  // SQLite has one writer: its transaction already excludes every other.
  if (engine !== 'postgres' || accountIds.length === 0) return;
  await sql`select id from credit_accounts where id in (${sql.join([...accountIds].sort())}) order by id for update`.execute(executor);
}

export async function sumCreditEntries(executor: DatabaseExecutor, accountId: string): Promise<number> {
  const row = await executor
    .selectFrom('credit_entries')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('amount'), sql<number>`0`).as('balance'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.balance ?? 0);
}

/** Money in and out of an account, split by what moved it. */
export async function sumCreditEntriesByKind(executor: DatabaseExecutor, accountId: string) {
  const rows = await executor
    .selectFrom('credit_entries')
    .innerJoin('credit_transactions', 'credit_transactions.id', 'credit_entries.transaction_id')
    .select((eb) => [
      'credit_transactions.kind',
      eb.fn.sum<number | string>('credit_entries.amount').as('total'),
      eb.fn.countAll<number>().as('count'),
    ])
    .where('credit_entries.account_id', '=', accountId)
    .groupBy('credit_transactions.kind')
    .execute();
  return rows.map((row) => ({ kind: row.kind, total: Number(row.total), count: Number(row.count) }));
}

export function findCreditTransactionByKey(executor: DatabaseExecutor, key: string) {
  return executor.selectFrom('credit_transactions').selectAll().where('transaction_key', '=', key).executeTakeFirst();
}

export function findCreditTransaction(executor: DatabaseExecutor, id: string) {
  return executor.selectFrom('credit_transactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCreditTransaction(
  executor: DatabaseExecutor,
  row: Insertable<CreditTransactionTable>,
  entries: readonly { accountId: string; amount: number }[],
): Promise<void> {
  await executor.insertInto('credit_transactions').values(row).execute();
  await executor
    .insertInto('credit_entries')
    .values(entries.map((entry) => ({ transaction_id: row.id, account_id: entry.accountId, amount: entry.amount })))
    .execute();
}

/** Transactions with an entry in the account, newest first. */
export function listCreditTransactionRows(
  executor: DatabaseExecutor,
  filter: {
    accountId: string;
    kind?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
) {
  let query = executor
    .selectFrom('credit_transactions')
    .selectAll('credit_transactions')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('credit_entries')
          .select('credit_entries.transaction_id')
          .whereRef('credit_entries.transaction_id', '=', 'credit_transactions.id')
          .where('credit_entries.account_id', '=', filter.accountId),
      ),
    );
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function listCreditEntriesOf(executor: DatabaseExecutor, transactionIds: readonly string[]) {
  if (transactionIds.length === 0) return [];
  const rows = await executor
    .selectFrom('credit_entries')
    .innerJoin('credit_accounts', 'credit_accounts.id', 'credit_entries.account_id')
    .select([
      'credit_entries.transaction_id',
      'credit_entries.amount',
      'credit_accounts.kind',
      'credit_accounts.owner_id',
      'credit_accounts.id as account_id',
    ])
    .where('credit_entries.transaction_id', 'in', transactionIds)
    .execute();
  return rows.map((row) => ({ ...row, amount: Number(row.amount) }));
}

/** Refunds of transactions, to show what each one still owes back. */
export function listRefundsOf(executor: DatabaseExecutor, transactionIds: readonly string[]) {
  if (transactionIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('credit_transactions').select(['id', 'refund_of']).where('refund_of', 'in', transactionIds).execute();
}

export async function countPurchaseTransactions(executor: DatabaseExecutor, listingId: string, workspaceId: string): Promise<number> {
  const row = await executor
    .selectFrom('credit_transactions')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('kind', '=', 'purchase')
    .where('listing_id', '=', listingId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** What an account paid (a positive number) in transactions whose key starts with a prefix, since a moment. */
export async function sumPaidByKeyPrefix(executor: DatabaseExecutor, accountId: string, keyPrefix: string, since: string): Promise<number> {
  const row = await executor
    .selectFrom('credit_entries')
    .innerJoin('credit_transactions', 'credit_transactions.id', 'credit_entries.transaction_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('credit_entries.amount'), sql<number>`0`).as('total'))
    .where('credit_entries.account_id', '=', accountId)
    // substr, not like: a key may hold an underscore, which like reads as a wildcard.
    .where(sql<string>`substr(credit_transactions.transaction_key, 1, ${keyPrefix.length})`, '=', keyPrefix)
    .where('credit_transactions.created_at', '>=', since)
    .executeTakeFirst();
  return -Number(row?.total ?? 0);
}
