import type { Payout, PublisherReference, Purchase, Subscription, UsageUnit } from '@mission-control/contracts';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { clientFor, globalOptions, parseInteger } from './shared.js';

const credits = (amount: number) => `${amount.toLocaleString('en')} credit${amount === 1 ? '' : 's'}`;

const unitWords: Record<UsageUnit, string> = { task: 'task done', 'thousand-tokens': '1,000 tokens', run: 'run' };

/** A whole number of credits of at least 1, or a usage error naming the option. */
function positiveCredits(name: string, value: string | undefined): number | undefined {
  const amount = parseInteger(name, value);
  if (amount === 0) throw new UsageError(`${name} must be at least 1 credit.`);
  return amount;
}

function describePurchase(purchase: Purchase): string {
  if (purchase.rental) return `Rented until ${formatTime(purchase.rental.endsAt)}; its price waits in escrow until then.`;
  const subscription = purchase.subscription;
  if (subscription?.usage) {
    return `Subscribed, paid by use: ${credits(subscription.usage.creditsPerUnit)} per ${unitWords[subscription.usage.unit]}, at most ${credits(subscription.usage.spendingLimitCredits)} a month (subscription ${subscription.id}).`;
  }
  if (subscription)
    return `Subscribed: ${credits(subscription.monthlyCredits ?? 0)} a month, renews ${formatTime(subscription.periodEnd)} (subscription ${subscription.id}).`;
  return `Bought for ${credits(-(purchase.transaction?.amount ?? 0))}.`;
}

function describeStatus(subscription: Subscription): string {
  if (subscription.status === 'stopped')
    return subscription.stoppedReason === 'spending-limit' ? 'stopped: spending limit reached' : 'stopped: too few credits';
  if (subscription.status === 'active' && subscription.cancelAtPeriodEnd) return `ends ${formatTime(subscription.periodEnd)}`;
  return subscription.status;
}

function printSubscriptions(subscriptions: readonly Subscription[]): void {
  printTable(subscriptions, [
    ['id', (row) => row.id],
    ['listing', (row) => row.listing.title],
    [
      'price',
      (row) =>
        row.usage ? `${credits(row.usage.creditsPerUnit)} per ${unitWords[row.usage.unit]}` : `${credits(row.monthlyCredits ?? 0)} a month`,
    ],
    ['this month', (row) => (row.usage ? `${row.usage.spentThisPeriod} of ${row.usage.spendingLimitCredits}` : '-')],
    ['status', (row) => describeStatus(row)],
    ['period ends', (row) => formatTime(row.periodEnd)],
  ]);
}

function printPayouts(payouts: readonly Payout[]): void {
  printTable(payouts, [
    ['id', (row) => row.id],
    ['publisher', (row) => row.publisher.name],
    ['amount', (row) => credits(row.amount)],
    ['status', (row) => (row.failure ? `${row.status}: ${row.failure}` : row.status)],
    ['to', (row) => row.destination ?? 'recorded for an administrator'],
    ['when', (row) => formatTime(row.createdAt)],
  ]);
}

/** You, or with --organization an organisation you administer. */
async function publisherOf(command: Command, organization: string | undefined): Promise<PublisherReference> {
  if (organization) return { kind: 'organization', id: organization };
  const me = await (await clientFor(command)).auth.me();
  if (me.kind !== 'user') throw new UsageError('Payouts are a person’s: sign in with a personal key, not an agent’s.');
  return { kind: 'user', id: me.user.id };
}

/** Registers `mission marketplace buy|subscriptions|subscription|payout|payouts|payout-account`. */
export function registerMarketplaceBillingCommands(marketplace: Command): void {
  marketplace
    .command('buy <listing-id>')
    .description('Buy, rent or subscribe to a paid listing with your workspace’s credits; then install it')
    .option('--spending-limit <credits>', 'for a listing paid by use (required there): the most a month may cost')
    .addHelpText(
      'after',
      '\nExamples:\n  mission marketplace buy <listing-id>\n  mission marketplace buy <listing-id> --spending-limit 500   (paid by use: warned at 80 %, stopped at 100 %)',
    )
    .action(async (listingId: string, options: { spendingLimit?: string }, command: Command) => {
      const limit = positiveCredits('--spending-limit', options.spendingLimit);
      const purchase = await (await clientFor(command)).marketplace.purchase(
        listingId,
        limit === undefined ? {} : { spendingLimitCredits: limit },
      );
      if (globalOptions(command).json) return printJson(purchase);
      printLines(
        describePurchase(purchase),
        `Your workspace has ${credits(purchase.balance)} left. Install it: mission marketplace install ${listingId}`,
      );
    });

  marketplace
    .command('subscriptions')
    .description('List your workspace’s subscriptions: monthly and paid by use, with this month’s spend')
    .action(async (_options: unknown, command: Command) => {
      const subscriptions = await (await clientFor(command)).marketplace.subscriptions();
      if (globalOptions(command).json) return printJson(subscriptions);
      printSubscriptions(subscriptions);
    });

  marketplace
    .command('subscription <subscription-id>')
    .description('Cancel a subscription at the end of its period, keep it after all, or change a spending limit')
    .option('--cancel', 'end it when the period ends; nothing more is charged')
    .option('--keep', 'take a cancellation back')
    .option('--spending-limit <credits>', 'paid by use: the most a month may cost (raising it resumes a stopped one)')
    .action(async (subscriptionId: string, options: { cancel?: boolean; keep?: boolean; spendingLimit?: string }, command: Command) => {
      if (options.cancel && options.keep) throw new UsageError('Give --cancel or --keep, not both.');
      const limit = positiveCredits('--spending-limit', options.spendingLimit);
      if (!options.cancel && !options.keep && limit === undefined)
        throw new UsageError('Say what to change: --cancel, --keep or --spending-limit <credits>.');
      const subscription = await (await clientFor(command)).marketplace.updateSubscription(subscriptionId, {
        ...(options.cancel ? { cancelAtPeriodEnd: true } : options.keep ? { cancelAtPeriodEnd: false } : {}),
        ...(limit === undefined ? {} : { spendingLimitCredits: limit }),
      });
      if (globalOptions(command).json) return printJson(subscription);
      printLines(`${subscription.listing.title}: ${describeStatus(subscription)}.`);
    });

  marketplace
    .command('payout-account <stripe-account-id>')
    .description('Connect the Stripe account (acct_…) your earnings are paid out to')
    .option('--organization <id>', 'for an organisation you administer instead of yourself')
    .action(async (stripeAccountId: string, options: { organization?: string }, command: Command) => {
      const publisher = await publisherOf(command, options.organization);
      const account = await (await clientFor(command)).marketplace.setPayoutAccount({ publisher, stripeAccountId });
      if (globalOptions(command).json) return printJson(account);
      printLines(`Payouts now go to ${account.stripeAccountId}.`);
    });

  marketplace
    .command('payout')
    .description('Pay out marketplace earnings: a Stripe transfer, or a record for an administrator when no account is connected')
    .requiredOption('--amount <credits>', 'how much; at most what was earned (`mission marketplace payouts` and the earnings show it)')
    .option('--organization <id>', 'an organisation’s earnings instead of yours')
    .action(async (options: { amount: string; organization?: string }, command: Command) => {
      const amount = positiveCredits('--amount', options.amount) ?? 0;
      const publisher = await publisherOf(command, options.organization);
      const payout = await (await clientFor(command)).marketplace.payOut({ publisher, amount });
      if (globalOptions(command).json) return printJson(payout);
      printLines(
        payout.status === 'paid'
          ? `Paid out ${credits(payout.amount)} to ${payout.destination} (Stripe transfer ${payout.transferId}).`
          : payout.status === 'pending'
            ? `${credits(payout.amount)} taken from the earnings; Stripe has not confirmed the transfer yet, and it is retried every minute.`
            : `${credits(payout.amount)} recorded as paid out; no Stripe account is connected, so a server administrator pays it.`,
      );
    });

  marketplace
    .command('payouts')
    .description('List your payouts and your organisations’, newest first')
    .action(async (_options: unknown, command: Command) => {
      const payouts = await (await clientFor(command)).marketplace.payouts();
      if (globalOptions(command).json) return printJson(payouts);
      printPayouts(payouts);
    });
}
