import type { CreditAccountKind, CreditTransactionKind } from '@mission-control/contracts';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import {
  type CreditTransactionRow,
  ensureCreditAccount,
  findCreditTransactionByKey,
  insertCreditTransaction,
  lockCreditAccounts,
  sumCreditEntries,
} from './credit.repository.js';

/** An account by what owns it: a workspace, a publisher, the platform or the outside world. */
export interface CreditAccountReference {
  kind: CreditAccountKind;
  /** The workspace, person or organisation; '' for the platform and the outside world. */
  ownerId: string;
}

export const platformAccount: CreditAccountReference = { kind: 'platform', ownerId: '' };
export const outsideAccount: CreditAccountReference = { kind: 'outside', ownerId: '' };

/** One movement of credits: entries that sum to zero, landing once per key. */
export interface CreditMovement {
  kind: CreditTransactionKind;
  /** The same key lands once: a retry answers the transaction the first attempt made. */
  key: string;
  description: string;
  workspaceId: string | null;
  listingId: string | null;
  refundOf: string | null;
  actor: { kind: 'user' | 'system'; id: string | null };
  entries: readonly { account: CreditAccountReference; amount: number }[];
}

/** Accounts that may never go below zero: what a workspace, a publisher or a rental's escrow holds. The platform and the outside world may. */
function mustStayNonNegative(account: CreditAccountReference): boolean {
  return account.kind !== 'outside' && account.kind !== 'platform';
}

function accountKey(account: CreditAccountReference): string {
  return `${account.kind}:${account.ownerId}`;
}

/**
 * Records a movement in the caller's transaction. The accounts are locked in id order first, so
 * concurrent movements over the same accounts run one after the other (and a retry with the same
 * key, waiting behind the first, finds it and lands nothing); an account that would go below zero
 * refuses the whole movement with 402 CREDITS_INSUFFICIENT.
 */
export async function recordCreditMovement(
  context: ServiceContext,
  executor: DatabaseExecutor,
  movement: CreditMovement,
): Promise<{ transaction: CreditTransactionRow; replayed: boolean }> {
  const merged = new Map<string, { account: CreditAccountReference; amount: number }>();
  for (const entry of movement.entries) {
    if (!Number.isSafeInteger(entry.amount)) throw new Error(`A credit amount must be a whole number (${entry.amount}).`);
    const key = accountKey(entry.account);
    merged.set(key, { account: entry.account, amount: (merged.get(key)?.amount ?? 0) + entry.amount });
  }
  const entries = [...merged.values()].filter((entry) => entry.amount !== 0);
  if (entries.reduce((sum, entry) => sum + entry.amount, 0) !== 0) {
    throw new Error(`The entries of a credit movement must sum to zero (${movement.kind} ${movement.key}).`);
  }
  const replay = async () => {
    const existing = await findCreditTransactionByKey(executor, movement.key);
    return existing ? { transaction: existing, replayed: true } : undefined;
  };
  const early = await replay();
  if (early) return early;

  const now = context.clock.now().toISOString();
  const withIds = [];
  // In one order for everyone: two first movements creating the same accounts never deadlock.
  for (const entry of [...entries].sort((left, right) => accountKey(left.account).localeCompare(accountKey(right.account))))
    withIds.push({ ...entry, accountId: await ensureCreditAccount(executor, entry.account.kind, entry.account.ownerId, now) });
  await lockCreditAccounts(
    executor,
    context.engine,
    withIds.map((entry) => entry.accountId),
  );
  // Behind the locks: a concurrent attempt with the same key has committed by now.
  const late = await replay();
  if (late) return late;

  for (const entry of withIds) {
    if (entry.amount >= 0 || !mustStayNonNegative(entry.account)) continue;
    const balance = await sumCreditEntries(executor, entry.accountId);
    if (balance + entry.amount < 0) {
      const whose =
        entry.account.kind === 'workspace' ? 'The workspace' : entry.account.kind === 'escrow' ? 'The rental’s escrow' : 'The publisher';
      throw new AppError('CREDITS_INSUFFICIENT', `${whose} has ${balance} credits and this needs ${-entry.amount}. Add credits first.`, {
        balance,
        needed: -entry.amount,
      });
    }
  }
  const row: CreditTransactionRow = {
    id: createId(),
    kind: movement.kind,
    transaction_key: movement.key,
    workspace_id: movement.workspaceId,
    listing_id: movement.listingId,
    refund_of: movement.refundOf,
    description: movement.description,
    actor_kind: movement.actor.kind,
    actor_id: movement.actor.id,
    created_at: now,
  };
  await insertCreditTransaction(
    executor,
    row,
    withIds.map((entry) => ({ accountId: entry.accountId, amount: entry.amount })),
  );
  return { transaction: row, replayed: false };
}
