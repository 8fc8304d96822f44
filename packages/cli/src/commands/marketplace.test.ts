import { installationSchema, listingSchema, listingSearchResultSchema } from '@mission-control/contracts';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../sdk/src/test/real-server.js';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

// Several CLI processes one after another: each start takes seconds on a loaded machine.
const slow = 180_000;

describeEachEngine('mission marketplace against a real server', (engine) => {
  const cli = useCliAgainstRealServer(`marketplace-${engine}`, {}, engine);
  const { run } = cli;

  async function api(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>, token?: string) {
    const answer = await cli.server.request({ method, url, ...(payload ? { payload } : {}), ...(token ? { token } : {}) });
    if (answer.statusCode >= 300) throw new Error(`${method} ${url} answered ${answer.statusCode}: ${answer.body}`);
    return answer.json();
  }
  const createAgent = async (payload: Record<string, unknown>) => (await api('POST', '/api/v1/agents', payload)) as { id: string };
  const agentById = async (id: string) =>
    (await api('GET', `/api/v1/agents/${id}`)) as { name: string; role: string; capabilities: string[] };
  const storedInstallation = (id: string) =>
    cli.server.database.db
      .selectFrom('marketplace_installations')
      .select(['version', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it(
    'publishes an agent, finds it, shows it, installs it with a prefix, upgrades it to a new version and uninstalls it',
    async () => {
      const source = await createAgent({ name: 'scout', role: 'Researcher', capabilities: ['research'] });
      const published = await run([
        'marketplace',
        'publish',
        '--kind',
        'agent',
        '--source',
        'scout',
        '--title',
        'Scout',
        '--summary',
        'Finds primary sources',
        '--category',
        'research',
        '--tag',
        'sources',
        '--tag',
        'summaries',
        '--json',
      ]);
      expect(published.stderr).toBe('');
      expect(published.code).toBe(0);
      const listing = listingSchema.parse(JSON.parse(published.stdout));
      expect(listing).toMatchObject({ kind: 'agent', title: 'Scout', tags: ['sources', 'summaries'], latestVersion: '1.0.0' });
      const stored = await cli.server.database.db
        .selectFrom('marketplace_listings')
        .select(['title', 'category', 'latest_version', 'pricing_model', 'visibility'])
        .where('id', '=', listing.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        title: 'Scout',
        category: 'research',
        latest_version: '1.0.0',
        pricing_model: 'free',
        visibility: 'public',
      });

      const found = await run(['marketplace', 'search', 'primary', 'sources']);
      expect(found.stderr).toBe('');
      expect(found.stdout).toMatch(/^TITLE\s+KIND\s+PUBLISHER\s+PRICE\s+RATING\s+INSTALLS\s+ID$/m);
      expect(found.stdout).toMatch(new RegExp(`^Scout\\s+agent\\s+\\S.*\\s+free\\s+no ratings\\s+0\\s+${listing.id}$`, 'm'));
      expect(found.stdout).toContain('\n1 listing matches.\ncategory: research 1\nkind: agent 1\npricing: free 1\n');
      const filtered = await run([
        'marketplace',
        'search',
        '--tag',
        'sources',
        '--kind',
        'agent',
        '--pricing',
        'free,one-off',
        '--sort',
        'newest',
        '--limit',
        '5',
        '--json',
      ]);
      const result = listingSearchResultSchema.parse(JSON.parse(filtered.stdout));
      expect(result.data.map((item) => item.id)).toEqual([listing.id]);
      expect(result.total).toBe(1);
      const badSort = await run(['marketplace', 'search', '--sort', 'loudest']);
      expect(badSort.code).toBe(2);
      expect(badSort.stderr).toContain('--sort must be one of relevance, rating, installs, newest, trending');

      const shown = await run(['marketplace', 'show', listing.id]);
      expect(shown.stderr).toBe('');
      expect(shown.stdout).toContain('# Scout (agent, version 1.0.0)\nFinds primary sources\n');
      expect(shown.stdout).toContain('5 stars  0');
      expect(shown.stdout).toContain(
        'Version 1.0.0 installs:\n  agent scout: Researcher (specialist), capabilities research, no built-in runtime\n',
      );

      const installed = await run(['marketplace', 'install', listing.id, '--name-prefix', 'my-']);
      expect(installed.stderr).toBe('');
      expect(installed.stdout).toContain('Installed "Scout" 1.0.0');
      expect(installed.stdout).toMatch(/^agent\s+my-scout\s+scout\s+\S+$/m);
      const [installation] = installationSchema.array().parse(JSON.parse((await run(['marketplace', 'installs', '--json'])).stdout));
      const installedAgentId = installation?.items[0]?.id ?? '';
      expect(installation).toMatchObject({ listingId: listing.id, version: '1.0.0', status: 'active' });
      expect(await agentById(installedAgentId)).toMatchObject({ name: 'my-scout', role: 'Researcher', capabilities: ['research'] });

      // The workspace changes the installed copy's capabilities; the publisher changes role and capabilities.
      await api('PATCH', `/api/v1/agents/${installedAgentId}`, { capabilities: ['research', 'finance'] });
      await api('PATCH', `/api/v1/agents/${source.id}`, { role: 'Senior researcher', capabilities: ['research', 'statistics'] });
      const versioned = await run(['marketplace', 'version', listing.id, '1.1.0', '--changelog', 'A senior role']);
      expect(versioned.stderr).toBe('');
      expect(versioned.stdout).toContain('Published version 1.1.0 of "Scout".');
      const lower = await run(['marketplace', 'version', listing.id, '1.0.1', '--changelog', 'older']);
      expect(lower.code).toBe(5);
      expect(lower.stderr).toContain('error LISTING_VERSION_NOT_HIGHER');

      // Not a terminal and no --yes: the preview, and nothing changes.
      const unconfirmed = await run(['marketplace', 'upgrade', installation?.id ?? '', '1.1.0']);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stdout).toContain('Upgrading from 1.0.0 to 1.1.0:\n  agent my-scout:\n');
      expect(unconfirmed.stdout).toContain('    role: Researcher → Senior researcher (update)\n');
      expect(unconfirmed.stdout).toContain('    capabilities: kept yours (you changed it; 1.1.0 has research, statistics)\n');
      expect(unconfirmed.stderr).toContain('Nothing was changed');
      expect(unconfirmed.stderr).toContain(`mission marketplace upgrade ${installation?.id} 1.1.0 --yes`);
      expect(await storedInstallation(installation?.id ?? '')).toEqual({ version: '1.0.0', status: 'active' });
      expect((await agentById(installedAgentId)).role).toBe('Researcher');

      const upgraded = await run(['marketplace', 'upgrade', installation?.id ?? '', '1.1.0', '--yes']);
      expect(upgraded.stderr).toBe('');
      expect(upgraded.stdout).toBe('Upgraded "Scout" to 1.1.0.\n');
      expect(await storedInstallation(installation?.id ?? '')).toEqual({ version: '1.1.0', status: 'active' });
      expect(await agentById(installedAgentId)).toMatchObject({ role: 'Senior researcher', capabilities: ['research', 'finance'] });

      const listed = await run(['marketplace', 'installs']);
      expect(listed.stdout).toMatch(new RegExp(`^Scout\\s+1\\.1\\.0\\s+active\\s+agent my-scout\\s+.*${installation?.id}$`, 'm'));
      const removed = await run(['marketplace', 'uninstall', installation?.id ?? '']);
      expect(removed.stderr).toBe('');
      expect(removed.stdout).toBe('Uninstalled "Scout"; deleted what it created that was still there: agent my-scout.\n');
      expect(await storedInstallation(installation?.id ?? '')).toMatchObject({ status: 'uninstalled' });
      const agentRow = await cli.server.database.db
        .selectFrom('agents')
        .select('deleted_at')
        .where('id', '=', installedAgentId)
        .executeTakeFirstOrThrow();
      expect(agentRow.deleted_at).not.toBeNull();
      expect((await run(['marketplace', 'installs'])).stdout).toBe('(none)\n');
      expect((await run(['marketplace', 'installs', '--all'])).stdout).toMatch(/^Scout\s+1\.1\.0\s+uninstalled\s/m);
    },
    slow,
  );

  it(
    'refuses content holding a secret, printing where it is, and publishes nothing',
    async () => {
      await createAgent({ name: 'leaky', role: 'Caller', memoryContext: 'Use OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx for calls.' });
      const refused = await run([
        'marketplace',
        'publish',
        '--kind',
        'agent',
        '--source',
        'leaky',
        '--title',
        'Leaky',
        '--summary',
        'Calls models',
        '--category',
        'research',
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('error LISTING_CONTENT_UNSAFE: Nothing was published');
      expect(refused.stderr).toMatch(/^ {2}agents\[0\]\.memoryContext: This looks like an OpenAI or Anthropic key\./m);
      expect(refused.stderr).toContain('Remove these from the agents, workflows and skills in your workspace');
      const stored = await cli.server.database.db.selectFrom('marketplace_listings').select('id').where('title', '=', 'Leaky').execute();
      expect(stored).toEqual([]);

      const bundleWithSource = await run([
        'marketplace',
        'publish',
        '--kind',
        'bundle',
        '--source',
        'leaky',
        ...['--title', 'x'],
        ...['--summary', 'x', '--category', 'x'],
      ]);
      expect(bundleWithSource.code).toBe(2);
      expect(bundleWithSource.stderr).toContain('A bundle names what it holds with --agent, --workflow and --skill');
      const twoPrices = await run([
        'marketplace',
        'publish',
        ...['--kind', 'agent', '--source', 'leaky', '--title', 'x', '--summary', 'x', '--category', 'x'],
        ...['--free', '--price-once', '5'],
      ]);
      expect(twoPrices.code).toBe(2);
      expect(twoPrices.stderr).toContain('Give one price: --free or --price-once');
    },
    slow,
  );

  it(
    'publishes a bundle, takes a review from an installer, reports it, moderates it and forks the listing',
    async () => {
      await createAgent({ name: 'helper', role: 'Helper', capabilities: ['support'] });
      await api('POST', '/api/v1/skills', { name: 'Answer politely', body: '1. Greet\n2. Answer', capabilities: ['support'] });
      const published = await run([
        'marketplace',
        'publish',
        ...['--kind', 'bundle', '--agent', 'helper', '--skill', 'answer politely'],
        ...['--title', 'Help desk', '--summary', 'Answers questions', '--category', 'support', '--price-once', '250', '--json'],
      ]);
      expect(published.stderr).toBe('');
      const listing = listingSchema.parse(JSON.parse(published.stdout));
      expect(listing).toMatchObject({ kind: 'bundle', pricing: { model: 'one-off', priceCredits: 250 } });
      await api('PATCH', `/api/v1/marketplace/listings/${listing.id}`, { pricing: { model: 'free' } });
      const shown = await run(['marketplace', 'show', listing.id]);
      expect(shown.stdout).toContain(
        '  agent helper: Helper (specialist), capabilities support, no built-in runtime\n  skill Answer politely\n',
      );

      const member = await cli.server.addMember({ email: `mia-${engine}@example.com`, name: 'Mia' });
      const memberKey = (await api('POST', '/api/v1/auth/api-keys', { name: 'mia' }, member.token)) as { secret: string };
      const asMember = (args: string[]) => run(['--api-key', memberKey.secret, 'marketplace', ...args]);
      const installed = await asMember(['install', listing.id]);
      expect(installed.stderr).toBe('');
      expect(installed.stdout).toMatch(/^skill\s+Answer politely\s+Answer politely\s+\S+$/m);

      expect((await run(['marketplace', 'blocked-words', '--set', 'scam,spam'])).stdout).toBe(
        'A review with any of these words waits for a moderator: scam, spam\n',
      );
      const badRating = await asMember(['review', listing.id, '--rating', '6']);
      expect(badRating.code).toBe(2);
      const reviewed = await asMember(['review', listing.id, '--rating', '4', '--body', 'Quick and polite', '--json']);
      expect(reviewed.stderr).toBe('');
      const review = JSON.parse(reviewed.stdout) as { id: string; status: string };
      expect(review.status).toBe('published');
      expect((await run(['marketplace', 'reviews', listing.id])).stdout).toMatch(/^4\/5\s+Mia\s+1\.0\.0\s+Quick and polite\s/m);
      expect((await run(['marketplace', 'show', listing.id])).stdout).toContain('4 stars  1');

      const reported = await run(['marketplace', 'report', listing.id, review.id, '--reason', 'Off topic']);
      expect(reported.stdout).toBe(`Reported review ${review.id}; it waits for a moderator.\n`);
      expect((await run(['marketplace', 'moderation'])).stdout).toMatch(
        /^Help desk\s+4\/5\s+Mia\s+Quick and polite\s+report: Off topic\s+pending\s/m,
      );
      const approved = await run(['marketplace', 'moderate', review.id, 'approve', '--reason', 'On topic after all']);
      expect(approved.stdout).toBe(`Approved review ${review.id}: it counts.\n`);
      const storedReview = await cli.server.database.db
        .selectFrom('marketplace_reviews')
        .select(['status', 'moderation_decision', 'moderation_reason'])
        .where('id', '=', review.id)
        .executeTakeFirstOrThrow();
      expect(storedReview).toEqual({ status: 'published', moderation_decision: 'approved', moderation_reason: 'On topic after all' });
      expect((await run(['marketplace', 'moderation', '--decided'])).stdout).toContain('approved: On topic after all');
      expect((await run(['marketplace', 'moderate', review.id, 'ban', '--reason', 'x'])).code).toBe(2);

      const forked = await asMember(['fork', listing.id, '--title', 'My help desk']);
      expect(forked.stderr).toBe('');
      expect(forked.stdout).toMatch(/^Forked "Help desk" 1\.0\.0 as "My help desk" \(\S+\): an unlisted, free draft of your own\.$/m);
    },
    slow,
  );
});
