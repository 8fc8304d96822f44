import {
  type Installation,
  type Listing,
  type ListingContent,
  type ListingPricing,
  type ListingSearchResult,
  type ListingVersion,
  listingProblemSchema,
  type ModerationItem,
  type RatingSummary,
  type Review,
  type UpgradeChange,
  type UpgradePreview,
} from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { exitCodeForError } from '../exit-codes.js';
import { formatTime, printFields, printLines, printNotice, printTable } from '../output.js';

const credits = (amount: number) => `${amount.toLocaleString('en')} credit${amount === 1 ? '' : 's'}`;

/** A price in words: "free", "500 credits once", "50 credits a month", "2 credits per task". */
export function describePrice(pricing: ListingPricing): string {
  switch (pricing.model) {
    case 'free':
      return 'free';
    case 'one-off':
      return `${credits(pricing.priceCredits)} once`;
    case 'subscription':
      return `${credits(pricing.monthlyCredits)} a month`;
    case 'usage':
      return `${credits(pricing.creditsPerUnit)} per ${pricing.unit === 'thousand-tokens' ? '1,000 tokens' : pricing.unit}`;
    case 'rental':
      return `${credits(pricing.priceCredits)} for ${pricing.days} day${pricing.days === 1 ? '' : 's'}`;
  }
}

/** "4.3 (12)", or "no ratings" before the first. */
export function describeRating(rating: RatingSummary): string {
  return rating.average === null ? 'no ratings' : `${rating.average.toFixed(1)} (${rating.count})`;
}

const publisherOf = (listing: Listing) => `${listing.publisher.name}${listing.publisher.kind === 'organization' ? ' (organisation)' : ''}`;

/** The search answer: a table of listings, then the total and each facet on a line of its own. */
export function printSearchResult(result: ListingSearchResult): void {
  printTable(result.data, [
    ['title', (listing) => listing.title],
    ['kind', (listing) => listing.kind],
    ['publisher', publisherOf],
    ['price', (listing) => describePrice(listing.pricing)],
    ['rating', (listing) => describeRating(listing.rating)],
    ['installs', (listing) => String(listing.installs)],
    ['id', (listing) => listing.id],
  ]);
  const shown = result.data.length;
  printLines(
    '',
    `${result.total} listing${result.total === 1 ? '' : 's'} match${result.total === 1 ? 'es' : ''}${shown < result.total ? ` (showing ${shown}; --limit shows more)` : ''}.`,
    ...(['category', 'kind', 'pricing', 'tags'] as const).map((facet) => {
      const counts = result.facets[facet];
      return `${facet}: ${counts.length === 0 ? '-' : counts.map(({ value, count }) => `${value} ${count}`).join(', ')}`;
    }),
  );
}

/** One line per thing a version installs. */
export function describeContent(content: ListingContent): string[] {
  const lines = [
    ...content.agents.map((agent) => {
      const runtime = agent.runtime ? `built-in runtime${agent.runtime.model ? ` (${agent.runtime.model})` : ''}` : 'no built-in runtime';
      const capabilities = agent.capabilities.length > 0 ? `, capabilities ${agent.capabilities.join(', ')}` : '';
      const skills = agent.skills.length > 0 ? `, uses ${agent.skills.join(', ')}` : '';
      return `agent ${agent.name}: ${agent.role} (${agent.kind})${capabilities}, ${runtime}${skills}`;
    }),
    ...content.workflows.map(
      ({ definition }) => `workflow ${definition.name}: ${definition.steps.length} step${definition.steps.length === 1 ? '' : 's'}`,
    ),
    ...content.skills.map((skill) => `skill ${skill.name}${skill.description ? `: ${skill.description}` : ''}`),
  ];
  return lines.length > 0 ? lines : ['(nothing)'];
}

/** A listing with its versions, rating distribution and what its latest version installs. */
export function printListing(listing: Listing, latest: ListingVersion): void {
  printLines(`# ${listing.title} (${listing.kind}, version ${listing.latestVersion})`, listing.summary, '');
  printFields([
    ['id', listing.id],
    ['publisher', publisherOf(listing)],
    ['category', listing.category],
    ['tags', listing.tags.join(', ')],
    ['visibility', listing.visibility],
    ['price', describePrice(listing.pricing)],
    ['installs', `${listing.installs} (${listing.activeInstalls} active)`],
    ['rating', describeRating(listing.rating)],
    ...(listing.forkedFrom ? ([['forked from', `${listing.forkedFrom.title} ${listing.forkedFrom.version}`]] as [string, string][]) : []),
    ['you may edit it', listing.canEdit ? 'yes' : 'no'],
  ]);
  const { distribution } = listing.rating;
  printLines(
    '',
    'Ratings:',
    ...([5, 4, 3, 2, 1] as const).map((stars) => `  ${stars} star${stars === 1 ? ' ' : 's'}  ${distribution[stars]}`),
    '',
    'Versions:',
    ...listing.versions.map(
      (version) => `  ${version.version}  ${formatTime(version.createdAt)}  ${version.changelog.replace(/\s+/g, ' ').trim()}`,
    ),
    '',
    `Version ${latest.version} installs:`,
    ...describeContent(latest.content).map((line) => `  ${line}`),
    ...(listing.description.trim() ? ['', listing.description.trim()] : []),
  );
}

/** What an installation created, one line each. */
export function printInstalledItems(installation: Installation): void {
  printTable(installation.items, [
    ['kind', (item) => item.kind],
    ['name', (item) => item.name],
    ['template', (item) => item.templateName],
    ['id', (item) => item.id],
  ]);
}

export function printInstallations(installations: readonly Installation[]): void {
  printTable(installations, [
    ['listing', (installation) => installation.listingTitle],
    ['version', (installation) => installation.version],
    ['status', (installation) => installation.status],
    ['created', (installation) => installation.items.map((item) => `${item.kind} ${item.name}`).join(', ')],
    ['installed by', (installation) => installation.installedBy.name],
    ['installed', (installation) => formatTime(installation.createdAt)],
    ['id', (installation) => installation.id],
  ]);
}

/** A field's value in a few words: lists joined, long text cut, objects summarised. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((item) => describeValue(item)).join(', ');
  if (typeof value === 'string') {
    const text = value.replace(/\s+/g, ' ').trim();
    if (text === '') return 'empty';
    return text.length > 50 ? `"${text.slice(0, 49)}…"` : text;
  }
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 50 ? `${text.slice(0, 49)}…` : text;
  }
  return String(value);
}

function describeChange(change: UpgradeChange, to: string): string {
  if (change.outcome === 'add') return `new in ${to} (add)`;
  if (change.outcome === 'keep-yours') return `${change.field}: kept yours (you changed it; ${to} has ${describeValue(change.next)})`;
  return `${change.field}: ${describeValue(change.current)} → ${describeValue(change.next)} (update)`;
}

/** The preview of an upgrade, grouped by the item it changes. */
export function printUpgradePreview(preview: UpgradePreview): void {
  if (preview.from === preview.to && preview.changes.length === 0) {
    printLines(`The installation is at ${preview.to} already: nothing to upgrade.`);
    return;
  }
  if (preview.changes.length === 0) {
    printLines(`Upgrading from ${preview.from} to ${preview.to} changes nothing in your workspace; only the installed version moves.`);
    return;
  }
  const byItem = new Map<string, UpgradeChange[]>();
  for (const change of preview.changes) {
    const key = `${change.item.kind} ${change.item.name}`;
    byItem.set(key, [...(byItem.get(key) ?? []), change]);
  }
  printLines(
    `Upgrading from ${preview.from} to ${preview.to}:`,
    ...[...byItem].flatMap(([item, changes]) => [`  ${item}:`, ...changes.map((change) => `    ${describeChange(change, preview.to)}`)]),
  );
}

export function printReviews(reviews: readonly Review[]): void {
  printTable(reviews, [
    ['rating', (review) => `${review.rating}/5`],
    ['author', (review) => review.author.name],
    ['version', (review) => review.version],
    ['review', (review) => review.body],
    ['reply', (review) => review.reply?.body],
    ['posted', (review) => formatTime(review.createdAt)],
    ['id', (review) => review.id],
  ]);
}

export function printModerationQueue(items: readonly ModerationItem[]): void {
  printTable(items, [
    ['listing', (item) => item.listingTitle],
    ['rating', (item) => `${item.rating}/5`],
    ['author', (item) => item.author.name],
    ['review', (item) => item.body],
    [
      'why held',
      (item) =>
        [...item.reportReasons.map((reason) => `report: ${reason}`), ...item.matchedWords.map((word) => `word: ${word}`)].join('; '),
    ],
    ['decision', (item) => (item.moderation ? `${item.moderation.decision}: ${item.moderation.reason}` : item.status)],
    ['id', (item) => item.id],
  ]);
}

/**
 * Reports 422 LISTING_CONTENT_UNSAFE with every problem and where it is, so the publisher knows what
 * to remove; answers false for any other error, which the caller throws on.
 */
export function reportUnsafeContent(error: unknown): boolean {
  if (!isMissionControlError(error) || error.code !== 'LISTING_CONTENT_UNSAFE') return false;
  const details = error.details as { problems?: unknown } | undefined;
  const problems = listingProblemSchema.array().safeParse(details?.problems);
  printNotice(`error LISTING_CONTENT_UNSAFE: ${error.message}`);
  for (const problem of problems.success ? problems.data : []) printNotice(`  ${problem.path}: ${problem.message}`);
  printNotice('Remove these from the agents, workflows and skills in your workspace (nothing was published), then try again.');
  process.exitCode = exitCodeForError(error);
  return true;
}
