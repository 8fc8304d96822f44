import { z } from 'zod';
import { agentRuntimeKindSchema, modelProviderSchema } from './agent-runs.js';
import { agentNameSchema, capabilitySchema, localAgentKindSchema } from './agents.js';
import { idSchema, markdownSchema, pageQuerySchema, pageSchema, textSchema, timestampSchema } from './common.js';
import { workflowDefinitionSchema } from './workflows.js';

// ---------------------------------------------------------------------------------------------
// What a listing holds: templates that install into any workspace
// ---------------------------------------------------------------------------------------------

/** What can be listed: one agent template, one workflow, one skill, or a bundle (a squad of them). */
export const listingKindSchema = z.enum(['agent', 'workflow', 'skill', 'bundle']);
export type ListingKind = z.infer<typeof listingKindSchema>;

/** Who can find a listing: everyone on this server, the publisher's organisation only, or only those with its link. */
export const listingVisibilitySchema = z.enum(['public', 'organization', 'unlisted']);
export type ListingVisibility = z.infer<typeof listingVisibilitySchema>;

/** An agent as a template: no ids, no keys, no repository path; its skills travel by name. */
export const agentTemplateSchema = z
  .object({
    name: agentNameSchema.describe('The name it gets when installed; a taken name gets a number (writer-2)'),
    role: textSchema().trim().min(1).max(120),
    kind: localAgentKindSchema,
    capabilities: z.array(capabilitySchema).max(50),
    memoryContext: markdownSchema,
    heartbeatIntervalSeconds: z.int().min(5).max(86_400),
    concurrencyLimit: z.int().min(1).max(100),
    runtime: z
      .object({
        runtime: agentRuntimeKindSchema,
        provider: modelProviderSchema.nullable(),
        model: textSchema().max(200).nullable(),
        temperature: z.number().min(0).max(2).nullable(),
        stepLimit: z.int().min(1).max(100),
        instructions: markdownSchema,
      })
      .nullable()
      .describe('Built-in runtime settings without the model key; the installer connects their own'),
    skills: z.array(textSchema().max(200)).max(50).describe('Names of skills of the same listing this agent uses'),
  })
  .meta({ id: 'AgentTemplate' });
export type AgentTemplate = z.infer<typeof agentTemplateSchema>;

export const skillTemplateSchema = z
  .object({
    name: textSchema().trim().min(1).max(200),
    description: textSchema().trim().max(2_000),
    body: markdownSchema.min(1),
    capabilities: z.array(capabilitySchema).max(20),
  })
  .meta({ id: 'SkillTemplate' });
export type SkillTemplate = z.infer<typeof skillTemplateSchema>;

export const listingWorkflowTemplateSchema = z.object({ definition: workflowDefinitionSchema }).meta({ id: 'WorkflowTemplate' });
export type ListingWorkflowTemplate = z.infer<typeof listingWorkflowTemplateSchema>;

/** Everything one version of a listing installs. */
export const listingContentSchema = z
  .object({
    agents: z.array(agentTemplateSchema).max(50),
    workflows: z.array(listingWorkflowTemplateSchema).max(50),
    skills: z.array(skillTemplateSchema).max(200),
  })
  .meta({ id: 'ListingContent' });
export type ListingContent = z.infer<typeof listingContentSchema>;

// ---------------------------------------------------------------------------------------------
// Pricing
// ---------------------------------------------------------------------------------------------

const creditsSchema = (description: string) => z.int().min(1).max(100_000_000).describe(`${description}, in credits (whole units)`);

/** How a listing is paid for; credits come from the installing workspace's balance. */
export const listingPricingSchema = z
  .discriminatedUnion('model', [
    z.strictObject({ model: z.literal('free') }),
    z.strictObject({ model: z.literal('one-off'), priceCredits: creditsSchema('Paid once per workspace') }),
    z.strictObject({ model: z.literal('subscription'), monthlyCredits: creditsSchema('Paid every month until cancelled') }),
    z.strictObject({
      model: z.literal('usage'),
      unit: z.enum(['task', 'thousand-tokens', 'run']).describe('What is metered: a task done, 1,000 model tokens, or a run'),
      creditsPerUnit: creditsSchema('Charged per unit'),
    }),
    z.strictObject({
      model: z.literal('rental'),
      days: z.int().min(1).max(365).describe('How long the access lasts; then the installed agents are paused'),
      priceCredits: creditsSchema('Paid into escrow for the period'),
    }),
  ])
  .meta({ id: 'ListingPricing' });
export type ListingPricing = z.infer<typeof listingPricingSchema>;
export type PricingModel = ListingPricing['model'];
export const pricingModelSchema = z.enum(['free', 'one-off', 'subscription', 'usage', 'rental']);

// ---------------------------------------------------------------------------------------------
// Listings and versions
// ---------------------------------------------------------------------------------------------

/** A semantic version such as 1.4.0 (pre-releases such as 2.0.0-beta.1 allowed). */
export const semverSchema = textSchema()
  .max(64)
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/, {
    message: 'a version is three numbers such as 1.0.0 (optionally with a pre-release such as 1.0.0-beta.1)',
  });

const slugWordSchema = (what: string) =>
  textSchema()
    .trim()
    .toLowerCase()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/, { message: `${what} are lowercase words joined by dashes, such as "research"` });
export const listingCategorySchema = slugWordSchema('categories');
export const listingTagSchema = slugWordSchema('tags');

/** Who publishes a listing: the person, or an organisation they are an owner or admin of. */
export const listingPublisherSchema = z
  .object({
    kind: z.enum(['user', 'organization']),
    id: idSchema,
    name: z.string().describe('The person’s or organisation’s name, as the listing shows it'),
  })
  .meta({ id: 'ListingPublisher' });
export type ListingPublisher = z.infer<typeof listingPublisherSchema>;

export const ratingSummarySchema = z
  .object({
    average: z.number().nullable().describe('Mean of the published ratings, null before the first'),
    count: z.int(),
    distribution: z.object({ 1: z.int(), 2: z.int(), 3: z.int(), 4: z.int(), 5: z.int() }).describe('How many ratings of each star'),
  })
  .meta({ id: 'RatingSummary' });
export type RatingSummary = z.infer<typeof ratingSummarySchema>;

export const listingVersionSchema = z
  .object({
    listingId: idSchema,
    version: z.string(),
    changelog: z.string(),
    content: listingContentSchema,
    createdAt: timestampSchema,
  })
  .meta({ id: 'ListingVersion' });
export type ListingVersion = z.infer<typeof listingVersionSchema>;

export const listingVersionSummarySchema = listingVersionSchema.omit({ content: true }).meta({ id: 'ListingVersionSummary' });
export type ListingVersionSummary = z.infer<typeof listingVersionSummarySchema>;

/** Figures from real work of installed copies whose installers consented: never names a workspace. */
export const listingFiguresSchema = z
  .object({
    installationsReporting: z.int().describe('Installations whose installers share their results'),
    tasksDone: z.int(),
    tasksFailed: z.int(),
    successRate: z.number().nullable().describe('Done of done and failed, 0 to 1; null before any finished'),
    medianCostMicroDollarsPerTask: z
      .int()
      .nullable()
      .describe('Median model cost of a done task, in millionths of a US dollar; null when no run was costed'),
  })
  .meta({ id: 'ListingFigures' });
export type ListingFigures = z.infer<typeof listingFiguresSchema>;

export const listingSchema = z
  .object({
    id: idSchema,
    kind: listingKindSchema,
    title: z.string(),
    summary: z.string(),
    description: z.string().describe('Markdown'),
    category: z.string(),
    tags: z.array(z.string()),
    publisher: listingPublisherSchema,
    visibility: listingVisibilitySchema,
    pricing: listingPricingSchema,
    latestVersion: z.string(),
    versions: z.array(listingVersionSummarySchema).describe('Newest first'),
    forkedFrom: z
      .object({ listingId: idSchema.nullable().describe('Null when the original was deleted'), title: z.string(), version: z.string() })
      .nullable()
      .describe('The listing this one was forked from, kept as attribution'),
    installs: z.int().describe('Installations ever made'),
    activeInstalls: z.int().describe('Installations not uninstalled'),
    figures: listingFiguresSchema
      .nullable()
      .optional()
      .describe('Agents and bundles, on GET of one listing: results of installed copies whose installers consented; null when none does'),
    rating: ratingSummarySchema,
    canEdit: z.boolean().describe('Whether you may change, version or delete it'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Listing' });
export type Listing = z.infer<typeof listingSchema>;

const titleSchema = textSchema().trim().min(1).max(120);
const summarySchema = textSchema().trim().min(1).max(300);
const tagsSchema = z.array(listingTagSchema).max(20);

export const createListingSchema = z
  .strictObject({
    kind: listingKindSchema,
    sourceId: idSchema.optional().describe('The agent, workflow or skill of your workspace to publish (kind agent, workflow, skill)'),
    sourceIds: z
      .array(z.strictObject({ kind: z.enum(['agent', 'workflow', 'skill']), id: idSchema }))
      .min(1)
      .max(100)
      .optional()
      .describe('What a bundle holds (kind bundle)'),
    title: titleSchema,
    summary: summarySchema,
    description: markdownSchema.default(''),
    category: listingCategorySchema,
    tags: tagsSchema.default([]),
    publisher: z
      .strictObject({ kind: z.enum(['user', 'organization']), id: idSchema.optional() })
      .default({ kind: 'user' })
      .describe('Yourself by default, or an organisation you are an owner or admin of (with its id)'),
    visibility: listingVisibilitySchema.default('public'),
    pricing: listingPricingSchema.default({ model: 'free' }),
    version: semverSchema.default('1.0.0'),
    changelog: markdownSchema.default('First version'),
  })
  .meta({ id: 'CreateListing' });
export type CreateListingInput = z.input<typeof createListingSchema>;

export const updateListingSchema = z
  .strictObject({
    title: titleSchema.optional(),
    summary: summarySchema.optional(),
    description: markdownSchema.optional(),
    category: listingCategorySchema.optional(),
    tags: tagsSchema.optional(),
    visibility: listingVisibilitySchema.optional(),
    pricing: listingPricingSchema.optional(),
  })
  .refine((input) => Object.keys(input).length > 0, {
    message: 'say what to change: title, summary, description, category, tags, visibility or pricing',
  })
  .meta({ id: 'UpdateListing' });
export type UpdateListingInput = z.infer<typeof updateListingSchema>;

export const createListingVersionSchema = z
  .strictObject({
    version: semverSchema.describe('Higher than the latest version'),
    changelog: markdownSchema.min(1),
    refreshFromSource: z
      .boolean()
      .default(true)
      .describe('Build the content again from the agents, workflows and skills it was published from (false keeps the latest content)'),
  })
  .meta({ id: 'CreateListingVersion' });
export type CreateListingVersionInput = z.input<typeof createListingVersionSchema>;

export const forkListingSchema = z
  .strictObject({
    title: titleSchema.optional().describe('Defaults to “<title> (fork)”'),
    version: semverSchema.optional().describe('Which version to fork; the latest by default'),
  })
  .meta({ id: 'ForkListing' });
export type ForkListingInput = z.infer<typeof forkListingSchema>;

export const listListingsQuerySchema = pageQuerySchema.extend({
  mine: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('Only listings you may edit (yours and your organisations’)'),
  kind: listingKindSchema.optional(),
});
export type ListListingsQuery = z.infer<typeof listListingsQuerySchema>;
export const listingPageSchema = pageSchema(listingSchema).meta({ id: 'ListingPage' });

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/** A comma-separated query value whose parts each pass `item`; answers the parts. */
const commaList = <Item extends z.ZodType<string, string>>(item: Item) =>
  textSchema()
    .max(500)
    .transform((value, context) => {
      const parts: string[] = [];
      for (const part of value
        .split(',')
        .map((text) => text.trim())
        .filter((text) => text.length > 0)) {
        const parsed = item.safeParse(part);
        if (parsed.success) parts.push(parsed.data);
        else context.addIssue({ code: 'custom', message: `${part}: ${parsed.error.issues[0]?.message ?? 'not allowed here'}` });
      }
      if (parts.length > 20) context.addIssue({ code: 'custom', message: 'at most 20 values' });
      return parts;
    });

export const searchListingsQuerySchema = z.strictObject({
  q: textSchema().max(200).optional().describe('Words to find in titles, summaries, descriptions and tags'),
  category: listingCategorySchema.optional(),
  tags: commaList(listingTagSchema).optional().describe('Comma-separated; a listing must have every one'),
  kind: listingKindSchema.optional(),
  pricing: commaList(pricingModelSchema).optional().describe('Comma-separated pricing models, any of them'),
  minRating: z.coerce.number<number | string>().min(1).max(5).optional(),
  sort: z.enum(['relevance', 'rating', 'installs', 'newest', 'trending']).default('relevance'),
  limit: z.coerce.number<number | string>().int().min(1).max(100).default(20),
  offset: z.coerce.number<number | string>().int().min(0).max(10_000).default(0),
});
export type SearchListingsQuery = z.infer<typeof searchListingsQuerySchema>;

const facetSchema = z.array(z.object({ value: z.string(), count: z.int() }));
export const listingSearchResultSchema = z
  .object({
    data: z.array(listingSchema),
    total: z.int().describe('Listings matching every filter'),
    facets: z
      .object({ category: facetSchema, kind: facetSchema, pricing: facetSchema, tags: facetSchema })
      .describe('Counts over the listings matching the words (each facet ignores its own filter), most first'),
  })
  .meta({ id: 'ListingSearchResult' });
export type ListingSearchResult = z.infer<typeof listingSearchResultSchema>;

// ---------------------------------------------------------------------------------------------
// Installations
// ---------------------------------------------------------------------------------------------

export const installedItemSchema = z
  .object({ kind: z.enum(['agent', 'workflow', 'skill']), id: idSchema, name: z.string(), templateName: z.string() })
  .meta({ id: 'InstalledItem' });
export type InstalledItem = z.infer<typeof installedItemSchema>;

export const installationSchema = z
  .object({
    id: idSchema,
    listingId: idSchema,
    listingTitle: z.string(),
    workspaceId: idSchema,
    version: z.string(),
    status: z
      .enum(['active', 'paused', 'uninstalled'])
      .describe('paused: the rental it came from ended, and its agents were paused; rent the listing again'),
    items: z.array(installedItemSchema).describe('What it created in the workspace'),
    shareFigures: z.boolean().describe('Whether the results of its agents count in the listing’s figures (the installer’s consent)'),
    installedBy: z.object({ id: idSchema, name: z.string() }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Installation' });
export type Installation = z.infer<typeof installationSchema>;

export const installListingSchema = z
  .strictObject({
    workspaceId: idSchema.optional().describe('Where to install; the workspace you are signed in to by default'),
    version: semverSchema.optional().describe('The latest version by default'),
    options: z
      .strictObject({
        namePrefix: textSchema()
          .trim()
          .max(20)
          .regex(/^[A-Za-z0-9._-]*$/)
          .optional()
          .describe('Put before every installed agent’s name'),
        shareFigures: z
          .boolean()
          .optional()
          .describe(
            'Let the listing show figures from this installation’s results (tasks done, success rate, cost per task); off by default',
          ),
      })
      .default({}),
  })
  .meta({ id: 'InstallListing' });
export type InstallListingInput = z.input<typeof installListingSchema>;

export const updateInstallationSchema = z
  .strictObject({
    shareFigures: z.boolean().describe('Give or take back consent to count this installation’s results in the listing’s figures'),
  })
  .meta({ id: 'UpdateInstallation' });
export type UpdateInstallationInput = z.infer<typeof updateInstallationSchema>;

export const upgradeInstallationSchema = z.strictObject({ version: semverSchema }).meta({ id: 'UpgradeInstallation' });

/** What an upgrade would do to one field of one installed item. */
export const upgradeChangeSchema = z
  .object({
    item: z.object({
      kind: z.enum(['agent', 'workflow', 'skill']),
      name: z.string(),
      id: idSchema.nullable().describe('Null for an item the new version adds'),
    }),
    field: z.string(),
    installed: z.unknown().describe('The value the installed version gave it'),
    current: z.unknown().describe('Its value in the workspace now'),
    next: z.unknown().describe('The value the new version gives it'),
    outcome: z
      .enum(['update', 'keep-yours', 'add'])
      .describe('update: the new value replaces the untouched old one; keep-yours: you changed it, so yours stays; add: a new item'),
  })
  .meta({ id: 'UpgradeChange' });
export type UpgradeChange = z.infer<typeof upgradeChangeSchema>;

export const upgradePreviewSchema = z
  .object({ from: z.string(), to: z.string(), changes: z.array(upgradeChangeSchema) })
  .meta({ id: 'UpgradePreview' });
export type UpgradePreview = z.infer<typeof upgradePreviewSchema>;

export const listInstallationsQuerySchema = z.strictObject({
  workspaceId: idSchema.optional().describe('The workspace you are signed in to by default'),
  status: z.enum(['active', 'paused', 'uninstalled', 'all']).default('active'),
});

// ---------------------------------------------------------------------------------------------
// Reviews and moderation
// ---------------------------------------------------------------------------------------------

export const reviewStatusSchema = z.enum(['published', 'pending', 'rejected']);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

export const reviewSchema = z
  .object({
    id: idSchema,
    listingId: idSchema,
    version: z.string().describe('The version the reviewer had installed'),
    rating: z.int().min(1).max(5),
    body: z.string(),
    author: z.object({ id: idSchema, name: z.string() }),
    status: reviewStatusSchema.describe('pending: waiting for a moderator (reported, or matched the word list); only published ones count'),
    reply: z.object({ body: z.string(), at: timestampSchema }).nullable().describe('The publisher’s answer'),
    reports: z.int(),
    moderation: z
      .object({ decision: z.enum(['approved', 'rejected']), reason: z.string(), by: z.string(), at: timestampSchema })
      .nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Review' });
export type Review = z.infer<typeof reviewSchema>;

export const createReviewSchema = z
  .strictObject({ rating: z.int().min(1).max(5), body: markdownSchema.max(10_000).default('') })
  .meta({ id: 'CreateReview' });
export type CreateReviewInput = z.input<typeof createReviewSchema>;
export const replyToReviewSchema = z.strictObject({ body: markdownSchema.min(1).max(10_000) }).meta({ id: 'ReplyToReview' });
export const reportReviewSchema = z.strictObject({ reason: textSchema().trim().min(1).max(1_000) }).meta({ id: 'ReportReview' });
export const moderateReviewSchema = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: textSchema().trim().min(1).max(1_000) })
  .meta({ id: 'ModerateReview' });
export type ModerateReviewInput = z.infer<typeof moderateReviewSchema>;

export const reviewPageSchema = pageSchema(reviewSchema).meta({ id: 'ReviewPage' });
export const listReviewsQuerySchema = pageQuerySchema;

export const moderationQueueQuerySchema = pageQuerySchema.extend({
  status: z.enum(['pending', 'decided']).default('pending'),
});
export const moderationItemSchema = reviewSchema
  .extend({
    listingTitle: z.string(),
    reportReasons: z.array(z.string()),
    matchedWords: z.array(z.string()).describe('Words of the moderation list the review contains'),
  })
  .meta({ id: 'ModerationItem' });
export type ModerationItem = z.infer<typeof moderationItemSchema>;
export const moderationPageSchema = pageSchema(moderationItemSchema).meta({ id: 'ModerationPage' });

export const moderationSettingsSchema = z
  .object({ blockedWords: z.array(z.string()).describe('A review containing any of these words waits for a moderator') })
  .meta({ id: 'ModerationSettings' });
export const updateModerationSettingsSchema = z
  .strictObject({ blockedWords: z.array(textSchema().trim().toLowerCase().min(2).max(60)).max(500) })
  .meta({ id: 'UpdateModerationSettings' });

/** Why publishing was refused: each problem with where it is in the content. */
export const listingProblemSchema = z
  .object({ path: z.string(), problem: z.enum(['secret', 'reference']), message: z.string() })
  .meta({ id: 'ListingProblem' });
export type ListingProblem = z.infer<typeof listingProblemSchema>;
