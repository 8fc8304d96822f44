import {
  type ListingKind,
  type ListingPricing,
  type ListingVisibility,
  type PricingModel,
  pricingModelSchema,
  type UpgradeChange,
} from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { describeError, isMissingEndpoint } from '../../lib/describe-error';
import { plural } from '../../lib/format';

export const kindLabels: Record<ListingKind, string> = {
  agent: 'Agent',
  workflow: 'Workflow',
  skill: 'Skill',
  bundle: 'Bundle',
};

export const kindExplanations: Record<ListingKind, string> = {
  agent: 'One agent: its role, capabilities, memory and model settings (never its keys).',
  workflow: 'One workflow: its steps and inputs.',
  skill: 'One skill: a procedure agents follow.',
  bundle: 'A squad: several agents, workflows and skills that install together.',
};

export const pricingModelLabels: Record<PricingModel, string> = {
  free: 'Free',
  'one-off': 'One payment',
  subscription: 'Monthly subscription',
  usage: 'Pay per use',
  rental: 'Rental for a number of days',
};

export const visibilityLabels: Record<ListingVisibility, string> = {
  public: 'Everyone on this server',
  organization: 'Your organisation only',
  unlisted: 'Only people with its link',
};

export const visibilityExplanations: Record<ListingVisibility, string> = {
  public: 'Found in search and browsing by everyone signed in to this server.',
  organization: 'Found only by members of your organisation.',
  unlisted: 'Never in search: opened only by people you give its link to.',
};

export const sortOptions = ['relevance', 'rating', 'installs', 'newest', 'trending'] as const;
export type SortOrder = (typeof sortOptions)[number];
export const sortLabels: Record<SortOrder, string> = {
  relevance: 'Best match',
  rating: 'Highest rated',
  installs: 'Most installed',
  newest: 'Newest',
  trending: 'Trending this week',
};

/** "Customer support" for the category slug customer-support. */
export function categoryLabel(slug: string): string {
  const words = slug.replace(/-+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "1 credit", "1,500 credits". */
export function formatCredits(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'credit' : 'credits'}`;
}

const usageUnits: Record<Extract<ListingPricing, { model: 'usage' }>['unit'], string> = {
  task: 'a task',
  'thousand-tokens': 'per 1,000 model tokens',
  run: 'a run',
};

/** "Free", "500 credits once", "900 credits a month", "2 credits a task", "300 credits for 30 days". */
export function priceInWords(pricing: ListingPricing): string {
  switch (pricing.model) {
    case 'free':
      return 'Free';
    case 'one-off':
      return `${formatCredits(pricing.priceCredits)} once`;
    case 'subscription':
      return `${formatCredits(pricing.monthlyCredits)} a month`;
    case 'usage':
      return `${formatCredits(pricing.creditsPerUnit)} ${usageUnits[pricing.unit]}`;
    case 'rental':
      return `${formatCredits(pricing.priceCredits)} for ${plural(pricing.days, 'day')}`;
  }
}

/** How workspaces pay for a listing under each paid model, for its publisher choosing a price. */
export const pricingExplanations: Record<Exclude<PricingModel, 'free'>, string> = {
  'one-off': 'Workspaces buy it once with their credits, then install it; you earn the price less the platform’s fee.',
  rental:
    'Workspaces rent it for the number of days: the price is held in escrow until the period ends, then you earn it less the platform’s fee.',
  subscription:
    'Workspaces subscribe with their credits: the first month is charged at once, then every month until they cancel; you earn each month less the platform’s fee.',
  usage:
    'Workspaces subscribe with a monthly spending limit and are charged for each task done, run or 1,000 tokens of what they installed from it; you earn each charge less the platform’s fee.',
};

/** Why the server refused to install a paid listing, by how it is priced. */
const paymentRequiredWords: Record<Exclude<PricingModel, 'free'>, string> = {
  'one-off': 'This workspace has not bought this listing (or it was refunded): buy it first.',
  rental: 'This workspace does not rent this listing now: rent it first.',
  subscription:
    'This workspace has no active subscription to this listing: subscribe first, or see why it stopped on the Subscriptions page.',
  usage: 'This workspace has no active subscription to this listing: subscribe first, or see why it stopped on the Subscriptions page.',
};

/** The pricing model the server named in a refusal's details, if it named a paid one. */
function paidModelOf(pricing: unknown): Exclude<PricingModel, 'free'> | undefined {
  const model = pricingModelSchema.safeParse(Reflect.get(Object(pricing), 'model')).data;
  return model === 'free' ? undefined : model;
}

/** "4.5 out of 5 from 12 ratings", "No ratings yet". */
export function ratingInWords(average: number | null, count: number): string {
  if (average === null || count === 0) return 'No ratings yet';
  return `${average.toFixed(1).replace(/\.0$/, '')} out of 5 from ${plural(count, 'rating')}`;
}

export function installsInWords(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'install' : 'installs'}`;
}

export type MarketplaceAction =
  | 'load'
  | 'publish'
  | 'edit'
  | 'version'
  | 'delete'
  | 'fork'
  | 'install'
  | 'review'
  | 'report'
  | 'reply'
  | 'moderate'
  | 'share';

/** A marketplace refusal in the dashboard's words: the server's own are written for API callers. */
export function describeMarketplaceFailure(failure: unknown, action: MarketplaceAction = 'load'): string {
  if (!isMissionControlError(failure)) return describeError(failure);
  const details = (failure.details ?? {}) as Record<string, unknown>;
  switch (failure.code) {
    case 'LISTING_PAYMENT_REQUIRED': {
      const model = paidModelOf(details.pricing);
      return model
        ? paymentRequiredWords[model]
        : 'This is a paid listing this workspace has no access to now: buy, rent or subscribe to it first.';
    }
    case 'LISTING_NOT_FOUND':
      return 'This listing is not on the marketplace any more, or you cannot see it.';
    case 'LISTING_VERSION_NOT_FOUND':
      return 'That version of the listing does not exist any more.';
    case 'LISTING_VERSION_NOT_HIGHER': {
      const latest = typeof details.latestVersion === 'string' ? details.latestVersion : undefined;
      return latest
        ? `A new version must be higher than the latest one, ${latest}: for example ${nextVersions(latest).join(' or ')}.`
        : 'A new version must be higher than the latest one.';
    }
    case 'LISTING_SOURCE_NOT_FOUND':
      if (details.kind === 'workspace')
        return 'This listing was published from another workspace (or is a fork), so a new version cannot be built from this one. Sign in to the workspace it came from, or keep the content as it is.';
      return `The ${typeof details.kind === 'string' ? details.kind : 'item'} to publish is no longer in this workspace: it may have been deleted. Pick another.`;
    case 'LISTING_CONTENT_UNSAFE':
      return 'Nothing was published: the content holds something that must not be shared. Each problem is listed below.';
    case 'FORBIDDEN':
      if (action === 'install')
        return 'Your role in this workspace cannot add agents, so you cannot install here. Ask an admin of the workspace.';
      if (action === 'share')
        return 'Your role in this workspace cannot change what was installed, so you cannot change this. Ask an admin of the workspace.';
      if (action === 'reply') return 'Only the listing’s publisher answers its reviews.';
      if (action === 'publish') return 'Only an organisation’s owners and admins publish for it. Publish as yourself, or ask one of them.';
      return 'Only the listing’s publisher can change it. Fork it to make a copy of your own.';
    case 'REVIEW_REQUIRES_INSTALL':
      return /publisher/i.test(failure.message)
        ? 'You publish this listing, so you cannot rate it: answer its reviews instead.'
        : 'Only people who installed this listing themselves can rate it. Install it first, then review it.';
    case 'REVIEW_NOT_FOUND':
      return 'That review was removed meanwhile.';
    case 'INSTANCE_ADMIN_REQUIRED':
      return 'Only server administrators moderate the marketplace.';
    case 'INSTALLATION_NOT_FOUND':
      return 'That installation is no longer in this workspace.';
    case 'INSTALLATION_NOT_ACTIVE':
      return 'This was uninstalled already. Install the listing again to use it.';
    case 'WORKSPACE_NOT_FOUND':
      return 'You are signed in to another workspace: switch to it first.';
    case 'AGENT_NAME_TAKEN':
      return 'The names of its agents are all taken in this workspace. Install with a name prefix.';
    case 'ORGANIZATION_NOT_FOUND':
      return 'That organisation is not one you belong to.';
    default:
      return describeError(failure);
  }
}

/** "1.0.1", "1.1.0": versions higher than the latest one, to suggest. */
export function nextVersions(latest: string): string[] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(latest);
  if (!match) return [];
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return [`${major}.${minor}.${patch + 1}`, `${major}.${minor + 1}.0`];
}

/** The names of what a listing is built from, in the order the server puts them in the content. */
export interface ContentNames {
  agents: readonly string[];
  workflows: readonly string[];
  skills: readonly string[];
}

const agentFieldWords: Record<string, string> = {
  name: 'name',
  role: 'role',
  capabilities: 'capabilities',
  memoryContext: 'memory',
  skills: 'skills it uses',
  'runtime.instructions': 'instructions',
  'runtime.model': 'model',
  'runtime.provider': 'model provider',
};
const skillFieldWords: Record<string, string> = {
  name: 'name',
  description: 'description',
  body: 'procedure',
  capabilities: 'capabilities',
};

/** "step 3, task description" for steps[2].task.description: the rest of a path in words. */
function pathInWords(path: string): string {
  const parts = path
    .replace(/\[(\d+)\]/g, (_, index: string) => ` ${Number(index) + 1}`)
    .split('.')
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  const step = /^steps (\d+)$/.exec(parts[0] ?? '');
  if (step) return [`step ${step[1]}`, parts.slice(1).join(' ')].filter(Boolean).join(', ');
  return parts.join(' ');
}

/**
 * Where a problem of a refused listing is, for a person: "the agent scout, its memory" for
 * agents[0].memoryContext, "the workflow weekly-digest, step 2, task description" for
 * workflows[0].definition.steps[1].task.description.
 */
export function problemLocation(path: string, names: ContentNames): string {
  const match = /^(agents|workflows|skills)\[(\d+)\]\.?(.*)$/.exec(path);
  if (!match) return pathInWords(path);
  const [, group = '', index = '0', rest = ''] = match;
  const kind = group === 'agents' ? 'agent' : group === 'skills' ? 'skill' : 'workflow';
  const name = names[group as keyof ContentNames][Number(index)];
  const what = name ? `the ${kind} ${name}` : `${kind} ${Number(index) + 1}`;
  if (!rest) return what;
  const field = rest.replace(/\[\d+\]$/, '');
  if (kind === 'agent') return `${what}, its ${agentFieldWords[field] ?? pathInWords(rest)}`;
  if (kind === 'skill') return `${what}, its ${skillFieldWords[field] ?? pathInWords(rest)}`;
  const definition = rest.replace(/^definition\.?/, '');
  return definition ? `${what}, ${pathInWords(definition)}` : what;
}

const fieldLabels: Record<string, string> = {
  role: 'Role',
  capabilities: 'Capabilities',
  memoryContext: 'Memory',
  heartbeatIntervalSeconds: 'Heartbeat',
  concurrencyLimit: 'Tasks at once',
  'runtime.model': 'Model',
  'runtime.provider': 'Model provider',
  'runtime.temperature': 'Temperature',
  'runtime.stepLimit': 'Step limit',
  'runtime.instructions': 'Instructions',
  description: 'Description',
  body: 'Procedure',
  definition: 'Steps and settings',
};

/** "Role", "Instructions": an upgraded field as a person calls it. */
export function changeFieldLabel(field: string): string {
  return fieldLabels[field] ?? pathInWords(field).replace(/^./, (first) => first.toUpperCase());
}

/** Whether a value reads better as a line diff than inline (long or multi-line text, a workflow's definition). */
export function isLongValue(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\n') || value.length > 80;
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field's value inline: "research, web", "60 s", "none", "empty". */
export function valueInWords(value: unknown, field = ''): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((each) => valueInWords(each)).join(', ');
  if (typeof value === 'string') return value === '' ? 'empty' : value;
  if (typeof value === 'number') return field === 'heartbeatIntervalSeconds' ? `${value.toLocaleString()} s` : value.toLocaleString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

/** A long value as text for a line diff. */
export function valueAsText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** What an upgrade does to one field, in a sentence ending with the outcome. */
export function changeInWords(change: UpgradeChange): string {
  const label = changeFieldLabel(change.field);
  if (change.outcome === 'add') return `New ${change.item.kind} ${change.item.name} — will be added`;
  const long = isLongValue(change.next) || isLongValue(change.installed) || isLongValue(change.current);
  if (change.outcome === 'update') {
    return long
      ? `${label}: changed in the new version — will update`
      : `${label}: ${valueInWords(change.installed, change.field)} → ${valueInWords(change.next, change.field)} — will update`;
  }
  return long
    ? `${label}: kept yours — you changed it, so the new version’s text is not applied`
    : `${label}: kept yours (${valueInWords(change.current, change.field)}) — the new version has ${valueInWords(change.next, change.field)}`;
}

/**
 * A load failure for ErrorState, in the dashboard's words; a server without the marketplace
 * (ROUTE_NOT_FOUND) stays as it is, so ErrorState says it is not available there yet.
 */
export function plainLoadError(failure: unknown): unknown {
  if (isMissingEndpoint(failure)) return failure;
  return new Error(describeMarketplaceFailure(failure));
}
