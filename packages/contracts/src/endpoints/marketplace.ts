import { z } from 'zod';
import { idSchema, okSchema } from '../common.js';
import {
  createListingSchema,
  createListingVersionSchema,
  createReviewSchema,
  forkListingSchema,
  installationSchema,
  installListingSchema,
  listInstallationsQuerySchema,
  listingPageSchema,
  listingSchema,
  listingSearchResultSchema,
  listingVersionSchema,
  listListingsQuerySchema,
  listReviewsQuerySchema,
  moderateReviewSchema,
  moderationPageSchema,
  moderationQueueQuerySchema,
  moderationSettingsSchema,
  replyToReviewSchema,
  reportReviewSchema,
  reviewPageSchema,
  reviewSchema,
  searchListingsQuerySchema,
  semverSchema,
  updateInstallationSchema,
  updateListingSchema,
  updateModerationSettingsSchema,
  upgradeInstallationSchema,
  upgradePreviewSchema,
} from '../marketplace.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'marketplace';
const listingParamsSchema = z.object({ id: idSchema });
const listingVersionParamsSchema = z.object({ id: idSchema, version: semverSchema });
const reviewParamsSchema = z.object({ id: idSchema, reviewId: idSchema });
const installationParamsSchema = z.object({ id: idSchema });
const theListing = { 200: { description: 'The listing', schema: listingSchema } } as const;
const theReview = { 200: { description: 'The review', schema: reviewSchema } } as const;
const theInstallation = { 200: { description: 'The installation', schema: installationSchema } } as const;

export const createListing = defineEndpoint({
  operationId: 'createListing',
  method: 'POST',
  path: '/api/v1/marketplace/listings',
  tag,
  auth: 'user',
  summary: 'Publish an agent, workflow, skill or a bundle of them from your workspace',
  description:
    'The content is built from the sources in your workspace: secrets, keys, private memory and ids are left out. Content that still holds something that looks like a secret, or an id of your workspace, is refused with 422 LISTING_CONTENT_UNSAFE and every problem in `details.problems`. Publishing for an organisation needs its owner or admin role.',
  body: createListingSchema,
  responses: { 201: { description: 'The new listing with its first version', schema: listingSchema } },
  errors: ['LISTING_SOURCE_NOT_FOUND', 'LISTING_CONTENT_UNSAFE', 'ORGANIZATION_NOT_FOUND'],
});

export const listListings = defineEndpoint({
  operationId: 'listListings',
  method: 'GET',
  path: '/api/v1/marketplace/listings',
  tag,
  auth: 'user',
  summary: 'Listings you can see, newest first',
  description: 'With mine=true, only the ones you may edit (yours and your organisations’). Search with GET /api/v1/marketplace/search.',
  query: listListingsQuerySchema,
  responses: { 200: { description: 'A page of listings', schema: listingPageSchema } },
  errors: [],
});

export const getListing = defineEndpoint({
  operationId: 'getListing',
  method: 'GET',
  path: '/api/v1/marketplace/listings/{id}',
  tag,
  auth: 'user',
  summary: 'One listing: its versions, installs and ratings',
  description: 'An unlisted listing is found by its id; an organisation-only one by members of that organisation.',
  params: listingParamsSchema,
  responses: theListing,
  errors: ['LISTING_NOT_FOUND'],
});

export const updateListing = defineEndpoint({
  operationId: 'updateListing',
  method: 'PATCH',
  path: '/api/v1/marketplace/listings/{id}',
  tag,
  auth: 'user',
  summary: 'Change a listing’s text, category, tags, visibility or price',
  description:
    'Its publisher only (for an organisation: its owners and admins). Installed copies keep working; a new price applies to new purchases.',
  params: listingParamsSchema,
  body: updateListingSchema,
  responses: theListing,
  errors: ['LISTING_NOT_FOUND', 'FORBIDDEN'],
});

export const deleteListing = defineEndpoint({
  operationId: 'deleteListing',
  method: 'DELETE',
  path: '/api/v1/marketplace/listings/{id}',
  tag,
  auth: 'user',
  summary: 'Take a listing off the marketplace',
  description: 'Its publisher only. What was installed stays in those workspaces; forks keep their attribution by title.',
  params: listingParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['LISTING_NOT_FOUND', 'FORBIDDEN'],
});

export const createListingVersion = defineEndpoint({
  operationId: 'createListingVersion',
  method: 'POST',
  path: '/api/v1/marketplace/listings/{id}/versions',
  tag,
  auth: 'user',
  summary: 'Publish a new version',
  description:
    'Higher than the latest (409 LISTING_VERSION_NOT_HIGHER otherwise). By default the content is built again from the sources it was published from, checked like a new listing. Installs keep their version until upgraded.',
  params: listingParamsSchema,
  body: createListingVersionSchema,
  responses: { 201: { description: 'The listing with its new version', schema: listingSchema } },
  errors: ['LISTING_NOT_FOUND', 'FORBIDDEN', 'LISTING_VERSION_NOT_HIGHER', 'LISTING_SOURCE_NOT_FOUND', 'LISTING_CONTENT_UNSAFE'],
});

export const getListingVersion = defineEndpoint({
  operationId: 'getListingVersion',
  method: 'GET',
  path: '/api/v1/marketplace/listings/{id}/versions/{version}',
  tag,
  auth: 'user',
  summary: 'One version of a listing with its full content',
  description: 'Exactly what installing this version creates.',
  params: listingVersionParamsSchema,
  responses: { 200: { description: 'The version', schema: listingVersionSchema } },
  errors: ['LISTING_NOT_FOUND', 'LISTING_VERSION_NOT_FOUND'],
});

export const forkListing = defineEndpoint({
  operationId: 'forkListing',
  method: 'POST',
  path: '/api/v1/marketplace/listings/{id}/fork',
  tag,
  auth: 'user',
  summary: 'Copy a listing into a draft of your own, with attribution',
  description:
    'The fork is unlisted and free until you change it, starts at version 1.0.0 with the forked version’s content, and names the original in `forkedFrom`.',
  params: listingParamsSchema,
  body: forkListingSchema,
  responses: { 201: { description: 'Your fork', schema: listingSchema } },
  errors: ['LISTING_NOT_FOUND', 'LISTING_VERSION_NOT_FOUND'],
});

export const searchListings = defineEndpoint({
  operationId: 'searchListings',
  method: 'GET',
  path: '/api/v1/marketplace/search',
  tag,
  auth: 'user',
  summary: 'Search the marketplace, with facets',
  description:
    'Full-text over titles, summaries, descriptions and tags (the engine’s own: FTS5 on SQLite, tsvector on PostgreSQL), filtered by category, tags, kind, pricing and minimum rating, sorted by relevance, rating (Bayesian, so one 5-star review does not top the list), installs, newest or trending (installs in the last 7 days). Unlisted listings never appear.',
  query: searchListingsQuerySchema,
  responses: { 200: { description: 'Matching listings, the total and the facets', schema: listingSearchResultSchema } },
  errors: [],
});

export const installListing = defineEndpoint({
  operationId: 'installListing',
  method: 'POST',
  path: '/api/v1/marketplace/listings/{id}/install',
  tag,
  auth: 'user',
  summary: 'Install a listing into a workspace',
  description:
    'Creates its agents, workflows and skills in the workspace (agent:manage there): a taken name gets a number (writer-2), agents start without keys or model connections. A paid listing needs the workspace to have bought it (402 LISTING_PAYMENT_REQUIRED).',
  params: listingParamsSchema,
  body: installListingSchema,
  responses: { 201: { description: 'The installation and what it created', schema: installationSchema } },
  errors: [
    'LISTING_NOT_FOUND',
    'LISTING_VERSION_NOT_FOUND',
    'LISTING_PAYMENT_REQUIRED',
    'WORKSPACE_NOT_FOUND',
    'ORGANIZATION_LIMIT_REACHED',
  ],
});

export const listInstallations = defineEndpoint({
  operationId: 'listInstallations',
  method: 'GET',
  path: '/api/v1/marketplace/installations',
  tag,
  auth: 'user',
  summary: 'What was installed into a workspace from the marketplace',
  description: 'Active ones by default; status=all includes uninstalled ones.',
  query: listInstallationsQuerySchema,
  responses: { 200: { description: 'Installations, newest first', schema: z.object({ data: z.array(installationSchema) }) } },
  errors: ['WORKSPACE_NOT_FOUND'],
});

export const previewInstallationUpgrade = defineEndpoint({
  operationId: 'previewInstallationUpgrade',
  method: 'GET',
  path: '/api/v1/marketplace/installations/{id}/upgrade',
  tag,
  auth: 'user',
  summary: 'What upgrading an installation to a version would change',
  description:
    'Field by field: a field you did not change since installing takes the new value (update); one you changed keeps yours (keep-yours); an item the new version adds is created (add).',
  params: installationParamsSchema,
  query: upgradeInstallationSchema,
  responses: { 200: { description: 'The changes', schema: upgradePreviewSchema } },
  errors: ['INSTALLATION_NOT_FOUND', 'INSTALLATION_NOT_ACTIVE', 'LISTING_NOT_FOUND', 'LISTING_VERSION_NOT_FOUND'],
});

export const upgradeInstallation = defineEndpoint({
  operationId: 'upgradeInstallation',
  method: 'POST',
  path: '/api/v1/marketplace/installations/{id}/upgrade',
  tag,
  auth: 'user',
  summary: 'Upgrade an installation to another version',
  description: 'Applies exactly what GET …/upgrade shows: your own changes stay.',
  params: installationParamsSchema,
  body: upgradeInstallationSchema,
  responses: theInstallation,
  errors: ['INSTALLATION_NOT_FOUND', 'INSTALLATION_NOT_ACTIVE', 'LISTING_NOT_FOUND', 'LISTING_VERSION_NOT_FOUND'],
});

export const uninstallListing = defineEndpoint({
  operationId: 'uninstallListing',
  method: 'DELETE',
  path: '/api/v1/marketplace/installations/{id}',
  tag,
  auth: 'user',
  summary: 'Uninstall: delete what the installation created',
  description:
    'Deletes its agents, workflows and skills that still exist; the installation is kept as uninstalled, so its reviews still count.',
  params: installationParamsSchema,
  responses: theInstallation,
  errors: ['INSTALLATION_NOT_FOUND', 'INSTALLATION_NOT_ACTIVE'],
});

export const reviewListing = defineEndpoint({
  operationId: 'reviewListing',
  method: 'POST',
  path: '/api/v1/marketplace/listings/{id}/reviews',
  tag,
  auth: 'user',
  summary: 'Rate and review a listing you installed',
  description:
    'One review per person and version: posting again replaces yours. Only someone who installed the listing may (403 REVIEW_REQUIRES_INSTALL), never its publisher. A review with a word of the moderation list waits for a moderator before it counts.',
  params: listingParamsSchema,
  body: createReviewSchema,
  responses: {
    201: { description: 'Your new review', schema: reviewSchema },
    200: { description: 'Your review of this version, replaced', schema: reviewSchema },
  },
  errors: ['LISTING_NOT_FOUND', 'REVIEW_REQUIRES_INSTALL'],
});

export const listReviews = defineEndpoint({
  operationId: 'listReviews',
  method: 'GET',
  path: '/api/v1/marketplace/listings/{id}/reviews',
  tag,
  auth: 'user',
  summary: 'Published reviews of a listing, newest first',
  description: 'Your own review shows too while it waits for a moderator.',
  params: listingParamsSchema,
  query: listReviewsQuerySchema,
  responses: { 200: { description: 'A page of reviews', schema: reviewPageSchema } },
  errors: ['LISTING_NOT_FOUND'],
});

export const replyToReview = defineEndpoint({
  operationId: 'replyToReview',
  method: 'PUT',
  path: '/api/v1/marketplace/listings/{id}/reviews/{reviewId}/reply',
  tag,
  auth: 'user',
  summary: 'Answer a review as the listing’s publisher',
  description: 'One answer per review; putting again replaces it.',
  params: reviewParamsSchema,
  body: replyToReviewSchema,
  responses: theReview,
  errors: ['LISTING_NOT_FOUND', 'REVIEW_NOT_FOUND', 'FORBIDDEN'],
});

export const reportReview = defineEndpoint({
  operationId: 'reportReview',
  method: 'POST',
  path: '/api/v1/marketplace/listings/{id}/reviews/{reviewId}/report',
  tag,
  auth: 'user',
  summary: 'Report a review to the moderators',
  description:
    'A reported review stops counting and waits in the moderation queue until a moderator approves or rejects it. One report per person.',
  params: reviewParamsSchema,
  body: reportReviewSchema,
  responses: { 200: { description: 'Reported', schema: okSchema } },
  errors: ['LISTING_NOT_FOUND', 'REVIEW_NOT_FOUND'],
});

export const listModerationQueue = defineEndpoint({
  operationId: 'listModerationQueue',
  method: 'GET',
  path: '/api/v1/marketplace/moderation/queue',
  tag,
  auth: 'user',
  summary: 'Reviews waiting for a moderator (or already decided)',
  description: 'Server administrators only. Oldest first, with the reports’ reasons and the words of the list each matched.',
  query: moderationQueueQuerySchema,
  responses: { 200: { description: 'A page of reviews to moderate', schema: moderationPageSchema } },
  errors: ['INSTANCE_ADMIN_REQUIRED'],
});

export const moderateReview = defineEndpoint({
  operationId: 'moderateReview',
  method: 'POST',
  path: '/api/v1/marketplace/moderation/reviews/{id}',
  tag,
  auth: 'user',
  summary: 'Approve or reject a review, with a reason',
  description:
    'Server administrators only. Approved reviews count; rejected ones are hidden. The decision, who made it and why are kept with the review.',
  params: z.object({ id: idSchema }),
  body: moderateReviewSchema,
  responses: theReview,
  errors: ['INSTANCE_ADMIN_REQUIRED', 'REVIEW_NOT_FOUND'],
});

export const getModerationSettings = defineEndpoint({
  operationId: 'getModerationSettings',
  method: 'GET',
  path: '/api/v1/marketplace/moderation/settings',
  tag,
  auth: 'user',
  summary: 'The moderation word list',
  description: 'Server administrators only.',
  responses: { 200: { description: 'The settings', schema: moderationSettingsSchema } },
  errors: ['INSTANCE_ADMIN_REQUIRED'],
});

export const updateModerationSettings = defineEndpoint({
  operationId: 'updateModerationSettings',
  method: 'PUT',
  path: '/api/v1/marketplace/moderation/settings',
  tag,
  auth: 'user',
  summary: 'Replace the moderation word list',
  description: 'Server administrators only. Applies to reviews posted from now on.',
  body: updateModerationSettingsSchema,
  responses: { 200: { description: 'The settings', schema: moderationSettingsSchema } },
  errors: ['INSTANCE_ADMIN_REQUIRED'],
});

export const updateInstallation = defineEndpoint({
  operationId: 'updateInstallation',
  method: 'PATCH',
  path: '/api/v1/marketplace/installations/{id}',
  tag,
  auth: 'user',
  summary: 'Give or take back consent to count an installation’s results in its listing’s figures',
  description:
    'With shareFigures on, the tasks its agents finish and fail and the cost of their runs count in the figures the listing shows (never naming the workspace). Owners and admins.',
  params: installationParamsSchema,
  body: updateInstallationSchema,
  responses: { 200: { description: 'The installation', schema: installationSchema } },
  errors: ['FORBIDDEN', 'INSTALLATION_NOT_FOUND'],
});
