import fs from 'node:fs';
import readline from 'node:readline/promises';
import {
  type CreateListingInput,
  type ListingPricing,
  listingKindSchema,
  listingVisibilitySchema,
  pricingModelSchema,
  searchListingsQuerySchema,
} from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { printJson, printLines, printNotice, readStdin } from '../output.js';
import { registerMarketplaceBillingCommands } from './marketplace-billing.js';
import {
  describePrice,
  printInstallations,
  printInstalledItems,
  printListing,
  printSearchResult,
  printUpgradePreview,
  reportUnsafeContent,
} from './marketplace-format.js';
import { registerMarketplaceReviewCommands } from './marketplace-reviews.js';
import { choice, clientFor, globalOptions, oneOf, parseInteger, resolveAgentId, splitList } from './shared.js';

const sortOrders = searchListingsQuerySchema.shape.sort.unwrap().options;

/** Collects a repeatable option of words (`--tag a --tag b`, or `--tag a,b`). */
function collectWords(value: string, previous: string[] = []): string[] {
  return [...previous, ...(splitList(value) ?? [])];
}

/** Collects a repeatable option of names as given (a skill's name may hold spaces and commas). */
function collectNames(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A whole number of credits, at least 1. */
function creditsOption(name: string, value: string | undefined): number | undefined {
  const number = parseInteger(name, value);
  if (number === 0) throw new UsageError(`${name} takes a price of at least 1 credit; use --free for a free listing.`);
  return number;
}

/** The price the options give: at most one of --free, --price-once and --price-monthly. */
function pricingOf(options: { free?: boolean; priceOnce?: string; priceMonthly?: string }): ListingPricing | undefined {
  const given = [options.free ? '--free' : '', options.priceOnce ? '--price-once' : '', options.priceMonthly ? '--price-monthly' : ''];
  if (given.filter(Boolean).length > 1) throw new UsageError(`Give one price: ${given.filter(Boolean).join(' or ')}, not both.`);
  const once = creditsOption('--price-once', options.priceOnce);
  if (once !== undefined) return { model: 'one-off', priceCredits: once };
  const monthly = creditsOption('--price-monthly', options.priceMonthly);
  if (monthly !== undefined) return { model: 'subscription', monthlyCredits: monthly };
  return options.free ? { model: 'free' } : undefined;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A skill of the workspace by id or name (any case). */
async function resolveSkillId(client: MissionControl, reference: string): Promise<string> {
  if (uuidPattern.test(reference)) return reference;
  const wanted = reference.toLowerCase();
  const found = (await client.skills.list({ q: reference, limit: 100 }).toArray(500)).find((skill) => skill.name.toLowerCase() === wanted);
  if (!found) throw new UsageError(`No skill named "${reference}": mission skills list shows them.`, 3);
  return found.id;
}

/** The id of an agent, workflow or skill of the workspace, given by id or name. */
function resolveSource(client: MissionControl, kind: 'agent' | 'workflow' | 'skill', reference: string): Promise<string> {
  if (kind === 'agent') return resolveAgentId(client, reference);
  if (kind === 'skill') return resolveSkillId(client, reference);
  return uuidPattern.test(reference) ? Promise.resolve(reference) : client.workflows.get(reference).then((workflow) => workflow.id);
}

interface PublishOptions {
  kind: string;
  source?: string;
  agent?: string[];
  skill?: string[];
  workflow?: string[];
  title: string;
  summary: string;
  category: string;
  tag?: string[];
  descriptionFile?: string;
  visibility?: string;
  free?: boolean;
  priceOnce?: string;
  priceMonthly?: string;
  version?: string;
  changelog?: string;
}

/** What `publish` sends: the sources resolved, the price and the text from the options. */
async function publishInput(client: MissionControl, options: PublishOptions): Promise<CreateListingInput> {
  const kind = choice('--kind', options.kind, listingKindSchema.options);
  const bundled = [
    ...(options.agent ?? []).map((reference) => ({ kind: 'agent' as const, reference })),
    ...(options.workflow ?? []).map((reference) => ({ kind: 'workflow' as const, reference })),
    ...(options.skill ?? []).map((reference) => ({ kind: 'skill' as const, reference })),
  ];
  let sources: Pick<CreateListingInput, 'sourceId' | 'sourceIds'>;
  if (kind === 'bundle') {
    if (options.source) throw new UsageError('A bundle names what it holds with --agent, --workflow and --skill, not --source.');
    if (bundled.length === 0)
      throw new UsageError('Name what the bundle holds: --agent <name> --skill <name> --workflow <name> (each as often as needed).');
    const sourceIds = [];
    for (const { kind: sourceKind, reference } of bundled)
      sourceIds.push({ kind: sourceKind, id: await resolveSource(client, sourceKind, reference) });
    sources = { sourceIds };
  } else {
    if (bundled.length > 0) throw new UsageError(`--agent, --workflow and --skill are for bundles; a ${kind} listing takes --source.`);
    if (!options.source) throw new UsageError(`Name the ${kind} to publish: --source <its name or id>.`);
    sources = { sourceId: await resolveSource(client, kind, options.source) };
  }
  const visibility = oneOf('--visibility', options.visibility, listingVisibilitySchema.options);
  const pricing = pricingOf(options);
  const description =
    options.descriptionFile === undefined
      ? undefined
      : options.descriptionFile === '-'
        ? await readStdin()
        : readTextFile(options.descriptionFile);
  return {
    kind,
    ...sources,
    title: options.title,
    summary: options.summary,
    category: options.category,
    ...(options.tag ? { tags: options.tag } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(visibility ? { visibility } : {}),
    ...(pricing ? { pricing } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.changelog ? { changelog: options.changelog } : {}),
  };
}

function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${file}: give the path of a markdown file ("-" for stdin).`);
  }
}

/** Registers `mission marketplace search|show|publish|version|fork|install|installs|upgrade|uninstall`, the review commands and the billing commands (buy, subscriptions, payouts). */
export function registerMarketplaceCommands(program: Command): void {
  const marketplace = program
    .command('marketplace')
    .description('The marketplace: find, publish, install and review agents, workflows, skills and bundles of them')
    .addHelpText(
      'after',
      `
Examples:
  mission marketplace publish --kind agent --source scout --title Scout --summary "Finds sources" --category research
  mission marketplace search "sources" --sort rating
  mission marketplace install <listing-id> --name-prefix acme-
  mission marketplace upgrade <installation-id> 1.1.0
  mission marketplace buy <listing-id> --spending-limit 500
  mission marketplace payout --amount 1000`,
    );

  marketplace
    .command('search [words...]')
    .description('Search the listings by words, with filters; prints the matches, the total and the facets')
    .option('--category <category>', 'only this category')
    .option('--tag <tag>', 'only listings with this tag (repeat for several: a listing must have every one)', collectWords)
    .option('--kind <kind>', `only this kind (${listingKindSchema.options.join(', ')})`)
    .option('--pricing <models>', `comma-separated pricing models, any of them (${pricingModelSchema.options.join(', ')})`)
    .option('--min-rating <n>', 'only listings rated at least this (1 to 5)')
    .option('--sort <order>', `${sortOrders.join(', ')} (relevance by default)`)
    .option('--limit <n>', 'how many to show (at most 100; 20 by default)')
    .action(
      async (
        words: string[],
        options: { category?: string; tag?: string[]; kind?: string; pricing?: string; minRating?: string; sort?: string; limit?: string },
        command: Command,
      ) => {
        const kind = oneOf('--kind', options.kind, listingKindSchema.options);
        const sort = oneOf('--sort', options.sort, sortOrders);
        const pricing = splitList(options.pricing)?.map((model) => choice('--pricing', model, pricingModelSchema.options));
        const minRating = options.minRating === undefined ? undefined : Number(options.minRating);
        if (minRating !== undefined && !(minRating >= 1 && minRating <= 5))
          throw new UsageError(`--min-rating takes a number from 1 to 5; got "${options.minRating}".`);
        const limit = parseInteger('--limit', options.limit);
        if (limit !== undefined && (limit < 1 || limit > 100)) throw new UsageError(`--limit takes 1 to 100; got "${options.limit}".`);
        const query = words.join(' ').trim();
        const result = await (await clientFor(command)).marketplace.search({
          ...(query ? { q: query } : {}),
          ...(options.category ? { category: options.category } : {}),
          ...(options.tag?.length ? { tags: options.tag.join(',') } : {}),
          ...(kind ? { kind } : {}),
          ...(pricing?.length ? { pricing: pricing.join(',') } : {}),
          ...(minRating !== undefined ? { minRating } : {}),
          ...(sort ? { sort } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        if (globalOptions(command).json) return printJson(result);
        printSearchResult(result);
      },
    );

  marketplace
    .command('show <listing-id>')
    .description('Show a listing: its versions, ratings and what its latest version installs')
    .action(async (listingId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const listing = await client.marketplace.get(listingId);
      const latest = await client.marketplace.getVersion(listing.id, listing.latestVersion);
      if (globalOptions(command).json) return printJson({ listing, latestVersion: latest });
      printListing(listing, latest);
    });

  marketplace
    .command('publish')
    .description('Publish an agent, workflow or skill of your workspace (or a bundle of them); secrets and ids in it refuse it')
    .requiredOption('--kind <kind>', `${listingKindSchema.options.join(', ')}`)
    .option('--source <name>', 'the agent, workflow or skill to publish (name or id), for kinds agent, workflow and skill')
    .option('--agent <name>', 'an agent the bundle holds (repeat for several)', collectNames)
    .option('--workflow <name>', 'a workflow the bundle holds (repeat for several)', collectNames)
    .option('--skill <name>', 'a skill the bundle holds (repeat for several)', collectNames)
    .requiredOption('--title <title>', 'the listing’s title')
    .requiredOption('--summary <text>', 'one line on what it does')
    .requiredOption('--category <category>', 'a lowercase word, such as research')
    .option('--tag <tag>', 'a tag (repeat for several)', collectWords)
    .option('--description-file <file>', 'a longer description in markdown ("-" for stdin)')
    .option('--visibility <visibility>', `${listingVisibilitySchema.options.join(', ')} (public by default)`)
    .option('--free', 'free to install (the default)')
    .option('--price-once <credits>', 'paid once per workspace')
    .option('--price-monthly <credits>', 'paid every month')
    .option('--version <version>', 'its first version (1.0.0 by default)')
    .option('--changelog <text>', 'what the first version says about itself')
    .addHelpText(
      'after',
      '\nExamples:\n  mission marketplace publish --kind agent --source scout --title Scout --summary "Finds sources" --category research --tag sources\n  mission marketplace publish --kind bundle --agent writer --skill "Cite sources" --workflow weekly-digest --title "Digest team" --summary "A weekly digest" --category writing',
    )
    .action(async (options: PublishOptions, command: Command) => {
      const client = await clientFor(command);
      const input = await publishInput(client, options);
      const listing = await client.marketplace.publish(input).catch((error: unknown) => {
        if (reportUnsafeContent(error)) return undefined;
        throw error;
      });
      if (!listing) return;
      if (globalOptions(command).json) return printJson(listing);
      printLines(
        `Published "${listing.title}" (${listing.kind}, version ${listing.latestVersion}, ${listing.visibility}, ${describePrice(listing.pricing)}) as ${listing.id}.`,
      );
    });

  marketplace
    .command('version <listing-id> <version>')
    .description('Publish a new, higher version, built again from the agents, workflows and skills it was published from')
    .requiredOption('--changelog <text>', 'what changed')
    .option('--keep-content', 'keep the latest version’s content instead of building it again')
    .addHelpText('after', '\nExample:\n  mission marketplace version <listing-id> 1.1.0 --changelog "A senior role"')
    .action(async (listingId: string, version: string, options: { changelog: string; keepContent?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const listing = await client.marketplace
        .publishVersion(listingId, { version, changelog: options.changelog, refreshFromSource: options.keepContent !== true })
        .catch((error: unknown) => {
          if (reportUnsafeContent(error)) return undefined;
          throw error;
        });
      if (!listing) return;
      if (globalOptions(command).json) return printJson(listing);
      printLines(`Published version ${listing.latestVersion} of "${listing.title}". Installations keep their version until upgraded.`);
    });

  marketplace
    .command('fork <listing-id>')
    .description('Copy a listing into an unlisted, free draft of your own that names the original')
    .option('--title <title>', 'its title (“<title> (fork)” by default)')
    .action(async (listingId: string, options: { title?: string }, command: Command) => {
      const fork = await (await clientFor(command)).marketplace.fork(listingId, options.title ? { title: options.title } : {});
      if (globalOptions(command).json) return printJson(fork);
      const from = fork.forkedFrom ? `"${fork.forkedFrom.title}" ${fork.forkedFrom.version}` : listingId;
      printLines(`Forked ${from} as "${fork.title}" (${fork.id}): an unlisted, free draft of your own.`);
    });

  marketplace
    .command('install <listing-id>')
    .description('Install a listing into your workspace: creates its agents, workflows and skills (taken names get a number)')
    .option('--version <version>', 'the version to install (the latest by default)')
    .option('--name-prefix <prefix>', 'put before every installed agent’s name, such as acme-')
    .action(async (listingId: string, options: { version?: string; namePrefix?: string }, command: Command) => {
      const installation = await (await clientFor(command)).marketplace.install(listingId, {
        ...(options.version ? { version: options.version } : {}),
        ...(options.namePrefix ? { options: { namePrefix: options.namePrefix } } : {}),
      });
      if (globalOptions(command).json) return printJson(installation);
      printLines(`Installed "${installation.listingTitle}" ${installation.version} (installation ${installation.id}). It created:`);
      printInstalledItems(installation);
      printLines('Agents start without API keys or model connections: `mission agents key <name>` gives one a key.');
    });

  marketplace
    .command('installs')
    .description('List what was installed into your workspace from the marketplace')
    .option('--all', 'also the uninstalled ones')
    .action(async (options: { all?: boolean }, command: Command) => {
      const list = await (await clientFor(command)).marketplace.installations.list({ status: options.all ? 'all' : 'active' });
      if (globalOptions(command).json) return printJson(list);
      printInstallations(list);
    });

  marketplace
    .command('upgrade <installation-id> <version>')
    .description('Upgrade an installation to another version; what you changed in your workspace stays yours')
    .option('--yes', 'upgrade without asking (without it: the preview, then a question on a terminal)')
    .addHelpText(
      'after',
      '\nWithout --yes it prints what would change and asks; when stdin is not a terminal it changes nothing and exits 2.\n\nExamples:\n  mission marketplace upgrade <installation-id> 1.1.0\n  mission marketplace upgrade <installation-id> 1.1.0 --yes',
    )
    .action(async (installationId: string, version: string, options: { yes?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const json = globalOptions(command).json;
      if (!options.yes) {
        const preview = await client.marketplace.installations.previewUpgrade(installationId, version);
        if (json) printJson(preview);
        else printUpgradePreview(preview);
        if (preview.from === preview.to && preview.changes.length === 0) return;
        if (!process.stdin.isTTY)
          throw new UsageError(
            `Nothing was changed: there is no terminal to ask. Run it again with --yes to upgrade: mission marketplace upgrade ${installationId} ${version} --yes`,
          );
        if (!(await confirm(`Upgrade to ${preview.to}? [y/N] `))) {
          printNotice('Nothing was changed.');
          return;
        }
      }
      const installation = await client.marketplace.installations.upgrade(installationId, version);
      if (json) return printJson(installation);
      printLines(`Upgraded "${installation.listingTitle}" to ${installation.version}.`);
    });

  marketplace
    .command('uninstall <installation-id>')
    .description('Uninstall: delete the agents, workflows and skills the installation created')
    .action(async (installationId: string, _options: unknown, command: Command) => {
      const installation = await (await clientFor(command)).marketplace.installations.uninstall(installationId);
      if (globalOptions(command).json) return printJson(installation);
      const items = installation.items.map((item) => `${item.kind} ${item.name}`).join(', ');
      printLines(`Uninstalled "${installation.listingTitle}"${items ? `; deleted what it created that was still there: ${items}` : ''}.`);
    });

  registerMarketplaceReviewCommands(marketplace);
  registerMarketplaceBillingCommands(marketplace);
}

/** Asks a yes-or-no question on the terminal (the question on stderr, so stdout keeps only the data). */
async function confirm(question: string): Promise<boolean> {
  const terminal = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}
