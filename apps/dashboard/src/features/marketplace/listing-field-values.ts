import type { Listing, ListingPricing, ListingVisibility, PricingModel } from '@mission-control/contracts';
import type { FormIssue } from '../../lib/form-errors';
import { wholeNumber } from '../../lib/whole-number';

export type UsageUnit = Extract<ListingPricing, { model: 'usage' }>['unit'];

/** What a person types for a listing's text, category, tags, visibility and price. */
export interface ListingFieldValues {
  title: string;
  summary: string;
  description: string;
  category: string;
  tags: string;
  visibility: ListingVisibility;
  pricingModel: PricingModel;
  price: string;
  usageUnit: UsageUnit;
  days: string;
}

export type ListingField = 'title' | 'summary' | 'description' | 'category' | 'tags' | 'price' | 'days' | 'form';
export type ListingFieldErrors = Partial<Record<ListingField, string>>;

export const emptyListingFields: ListingFieldValues = {
  title: '',
  summary: '',
  description: '',
  category: '',
  tags: '',
  visibility: 'public',
  pricingModel: 'free',
  price: '',
  usageUnit: 'task',
  days: '30',
};

function priceOf(pricing: ListingPricing): number | undefined {
  if (pricing.model === 'one-off' || pricing.model === 'rental') return pricing.priceCredits;
  if (pricing.model === 'subscription') return pricing.monthlyCredits;
  if (pricing.model === 'usage') return pricing.creditsPerUnit;
  return undefined;
}

/** A listing's fields as the form shows them. */
export function fieldValuesOf(listing: Listing): ListingFieldValues {
  const price = priceOf(listing.pricing);
  return {
    title: listing.title,
    summary: listing.summary,
    description: listing.description,
    category: listing.category,
    tags: listing.tags.join(', '),
    visibility: listing.visibility,
    pricingModel: listing.pricing.model,
    price: price === undefined ? '' : String(price),
    usageUnit: listing.pricing.model === 'usage' ? listing.pricing.unit : 'task',
    days: listing.pricing.model === 'rental' ? String(listing.pricing.days) : '30',
  };
}

/** "customer-support" for "Customer support": a category or tag as the server takes it. */
export function toSlug(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '-');
}

/** Tags typed with commas, as slugs, each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map(toSlug).filter(Boolean))];
}

/** A whole number typed with or without thousands separators; NaN for anything else, which the schema then refuses. */
function typedNumber(text: string): number {
  return wholeNumber(text) ?? Number.NaN;
}

export function toPricing(values: ListingFieldValues): ListingPricing {
  const price = typedNumber(values.price);
  switch (values.pricingModel) {
    case 'free':
      return { model: 'free' };
    case 'one-off':
      return { model: 'one-off', priceCredits: price };
    case 'subscription':
      return { model: 'subscription', monthlyCredits: price };
    case 'usage':
      return { model: 'usage', unit: values.usageUnit, creditsPerUnit: price };
    case 'rental':
      return { model: 'rental', days: typedNumber(values.days), priceCredits: price };
  }
}

/** The fields' values as the server takes them (title, summary, description, category, tags, visibility, pricing). */
export function toListingBody(values: ListingFieldValues) {
  return {
    title: values.title.trim(),
    summary: values.summary.trim(),
    description: values.description,
    category: toSlug(values.category),
    tags: parseTags(values.tags),
    visibility: values.visibility,
    pricing: toPricing(values),
  };
}

/** A validation issue on these fields, in words, on the field it is about. */
export function describeListingIssue(issue: FormIssue): [ListingField, string] {
  const [field, detail] = issue.path.map(String);
  const small = issue.code === 'too_small' || /too small|>=1/i.test(issue.message);
  const big = issue.code === 'too_big' || /too big/i.test(issue.message);
  switch (field) {
    case 'title':
      return ['title', big ? 'The title can be at most 120 characters; shorten it.' : 'Give it a title.'];
    case 'summary':
      return ['summary', big ? 'The summary can be at most 300 characters; shorten it.' : 'Say in a line what it does.'];
    case 'description':
      return ['description', 'The description holds a character that cannot be stored; type it again.'];
    case 'category':
      return [
        'category',
        small
          ? 'Give it a category, such as research.'
          : big
            ? 'A category can be at most 40 characters.'
            : 'A category is lowercase words joined by dashes, such as research or customer-support.',
      ];
    case 'tags':
      return [
        'tags',
        issue.path.length === 1 && big
          ? 'At most 20 tags.'
          : 'Tags are lowercase words joined by dashes (such as contracts or due-diligence), separated by commas.',
      ];
    case 'pricing':
      return detail === 'days'
        ? ['days', 'Type a whole number of days from 1 to 365.']
        : ['price', 'Type a whole number of credits from 1 to 100,000,000.'];
    default:
      return ['form', issue.message];
  }
}

/** The errors left once the person changed some fields: a field they touched says nothing until the next try. */
export function withoutChangedErrors<Errors extends ListingFieldErrors>(
  errors: Errors,
  before: ListingFieldValues,
  after: ListingFieldValues,
): Errors {
  const changed = (Object.keys(after) as (keyof ListingFieldValues)[]).filter((key) => after[key] !== before[key]);
  const cleared = new Set<string>(changed);
  if (changed.some((key) => key === 'pricingModel' || key === 'usageUnit')) for (const field of ['price', 'days']) cleared.add(field);
  return Object.fromEntries(Object.entries(errors).filter(([field]) => !cleared.has(field))) as Errors;
}
