import { type CreditTransaction, creditTransactionSchema } from '@mission-control/contracts';
import { testId, workspaceId } from '../../test/fixtures';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** A transaction as the server answers one, parsed so the fixture follows the contract. */
export function makeTransaction(overrides: Partial<CreditTransaction> = {}): CreditTransaction {
  return creditTransactionSchema.parse({
    id: testId(),
    kind: 'grant',
    description: 'Welcome credits',
    amount: 1000,
    entries: [
      { account: { kind: 'outside', id: null, name: 'Outside' }, amount: -1000 },
      { account: { kind: 'workspace', id: workspaceId, name: 'Acme' }, amount: 1000 },
    ],
    listing: null,
    refundOf: null,
    refundedBy: null,
    by: { kind: 'user', name: 'Olivia Owner' },
    createdAt: minutesAgo(5),
    ...overrides,
  });
}

export const balanceOf = (balance: number, received = balance, spent = 0) => ({ workspaceId, balance, received, spent });
