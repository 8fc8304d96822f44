import type {
  Installation,
  Listing,
  ListingSearchResult,
  ListingVersion,
  ModerationItem,
  Page,
  Review,
  UpgradePreview,
} from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('marketplace', (engine) => {
  let server: TestServer;
  /** The owner signed in to a second workspace: installs there do not meet the sources. */
  let otherWorkspaceToken: string;
  let member: { id: string; token: string };
  let viewer: { id: string; token: string };

  beforeAll(async () => {
    server = await createTestServer(engine);
    otherWorkspaceToken = await server.createOtherWorkspaceToken();
    member = await server.addMember({ email: `member-${engine}@example.com`, role: 'member', name: 'Mina Member' });
    viewer = await server.addMember({ email: `viewer-${engine}@example.com`, role: 'viewer', name: 'Vic Viewer' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  const send = (method: Method, url: string, payload?: unknown, token?: string) =>
    server.request({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }), token });
  async function expectStatus(method: Method, url: string, status: number, payload?: unknown, token?: string) {
    const answer = await send(method, url, payload, token);
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json();
  }

  async function createAgent(name: string, extra: Record<string, unknown> = {}) {
    return (await expectStatus('POST', '/api/v1/agents', 201, { name, role: 'Researcher', capabilities: ['research'], ...extra })) as {
      id: string;
      name: string;
    };
  }
  async function publish(payload: Record<string, unknown>): Promise<Listing> {
    return (await expectStatus('POST', '/api/v1/marketplace/listings', 201, {
      title: 'Research squad',
      summary: 'Finds and summarises sources',
      category: 'research',
      ...payload,
    })) as Listing;
  }
  const storedListings = async () =>
    (await server.database.db.selectFrom('marketplace_listings').select('title').execute()).map((row) => row.title);

  it('publishes an agent with its runtime as a template without ids or keys, and versions it', async () => {
    const agent = await createAgent('scout', { memoryContext: 'Prefers primary sources.' });
    await expectStatus('PUT', `/api/v1/agents/${agent.id}/runtime`, 200, {
      runtime: 'builtin',
      model: 'gpt-test',
      instructions: 'Summarise what you find in three bullets.',
    });
    const listing = await publish({ kind: 'agent', sourceId: agent.id, title: 'Scout', tags: ['Sources', 'summaries'] });
    expect(listing).toMatchObject({
      kind: 'agent',
      title: 'Scout',
      tags: ['sources', 'summaries'],
      publisher: { kind: 'user', id: server.ownerPrincipal.id },
      visibility: 'public',
      pricing: { model: 'free' },
      latestVersion: '1.0.0',
      installs: 0,
      rating: { average: null, count: 0 },
      canEdit: true,
      forkedFrom: null,
    });
    const version = (await expectStatus('GET', `/api/v1/marketplace/listings/${listing.id}/versions/1.0.0`, 200)) as ListingVersion;
    expect(version.content).toEqual({
      agents: [
        {
          name: 'scout',
          role: 'Researcher',
          kind: 'specialist',
          capabilities: ['research'],
          memoryContext: 'Prefers primary sources.',
          heartbeatIntervalSeconds: 60,
          concurrencyLimit: 1,
          runtime: {
            runtime: 'builtin',
            provider: null,
            model: 'gpt-test',
            temperature: null,
            stepLimit: expect.any(Number),
            instructions: 'Summarise what you find in three bullets.',
          },
          skills: [],
        },
      ],
      workflows: [],
      skills: [],
    });
    expect(JSON.stringify(version.content)).not.toContain(agent.id);

    await expectStatus('PATCH', `/api/v1/agents/${agent.id}`, 200, { role: 'Senior researcher' });
    const lower = await send('POST', `/api/v1/marketplace/listings/${listing.id}/versions`, { version: '0.9.0', changelog: 'older' });
    expect(lower.statusCode).toBe(409);
    expect(lower.json().error).toMatchObject({ code: 'LISTING_VERSION_NOT_HIGHER', details: { latestVersion: '1.0.0' } });
    const versioned = (await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/versions`, 201, {
      version: '1.1.0',
      changelog: 'A senior role',
    })) as Listing;
    expect(versioned.latestVersion).toBe('1.1.0');
    expect(versioned.versions.map((entry) => entry.version)).toEqual(['1.1.0', '1.0.0']);
    const next = (await expectStatus('GET', `/api/v1/marketplace/listings/${listing.id}/versions/1.1.0`, 200)) as ListingVersion;
    expect(next.content.agents[0]?.role).toBe('Senior researcher');
  });

  it('refuses content with a secret or a workspace id, naming where, and stores nothing', async () => {
    const before = await storedListings();
    const leaky = await createAgent('leaky', { memoryContext: 'Use OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx for calls.' });
    const refused = await send('POST', '/api/v1/marketplace/listings', {
      kind: 'agent',
      sourceId: leaky.id,
      title: 'Leaky',
      summary: 'x',
      category: 'research',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('LISTING_CONTENT_UNSAFE');
    expect(refused.json().error.details.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'agents[0].memoryContext', problem: 'secret' })]),
    );
    const pointing = await createAgent('pointing', { memoryContext: `Report to the agent ${leaky.id}.` });
    const reference = await send('POST', '/api/v1/marketplace/listings', {
      kind: 'agent',
      sourceId: pointing.id,
      title: 'Pointing',
      summary: 'x',
      category: 'research',
    });
    expect(reference.statusCode).toBe(422);
    expect(reference.json().error.details.problems[0]).toMatchObject({ problem: 'reference' });
    const missing = await send('POST', '/api/v1/marketplace/listings', {
      kind: 'agent',
      sourceId: '0190c0de-0000-7000-8000-000000000000',
      title: 'Missing',
      summary: 'x',
      category: 'research',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('LISTING_SOURCE_NOT_FOUND');
    expect(await storedListings()).toEqual(before);
  });

  it('installs a bundle into another workspace with names made free, lists it and uninstalls it', async () => {
    const writer = await createAgent('writer');
    const skill = (await expectStatus('POST', '/api/v1/skills', 201, {
      name: 'Cite sources',
      body: '1. Quote\n2. Link',
      capabilities: ['research'],
    })) as {
      id: string;
    };
    const workflow = (await expectStatus('POST', '/api/v1/workflows', 201, {
      name: 'weekly-digest',
      steps: [{ id: 'draft', kind: 'task', task: { title: 'Draft the digest' } }],
    })) as { id: string };
    const bundle = await publish({
      kind: 'bundle',
      title: 'Digest team',
      sourceIds: [
        { kind: 'agent', id: writer.id },
        { kind: 'skill', id: skill.id },
        { kind: 'workflow', id: workflow.id },
      ],
    });
    const first = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${bundle.id}/install`,
      201,
      {},
      otherWorkspaceToken,
    )) as Installation;
    expect(first).toMatchObject({ listingTitle: 'Digest team', version: '1.0.0', status: 'active' });
    expect(first.items.map((item) => `${item.kind}:${item.name}`).sort()).toEqual([
      'agent:writer',
      'skill:Cite sources',
      'workflow:weekly-digest',
    ]);
    const second = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${bundle.id}/install`,
      201,
      {},
      otherWorkspaceToken,
    )) as Installation;
    expect(second.items.map((item) => `${item.kind}:${item.name}`).sort()).toEqual([
      'agent:writer-2',
      'skill:Cite sources',
      'workflow:weekly-digest-2',
    ]);

    const agents = (await expectStatus('GET', '/api/v1/agents', 200, undefined, otherWorkspaceToken)) as { data: { name: string }[] };
    expect(agents.data.map((agent) => agent.name).sort()).toEqual(['writer', 'writer-2']);
    const listed = (await expectStatus('GET', '/api/v1/marketplace/installations', 200, undefined, otherWorkspaceToken)) as {
      data: Installation[];
    };
    expect(listed.data.map((installation) => installation.id)).toEqual([second.id, first.id]);
    const events = await server.database.db
      .selectFrom('events')
      .select(['type', 'workspace_id'])
      .where('type', '=', 'listing-installed')
      .execute();
    expect(events).toHaveLength(2);
    expect(events.every((event) => event.workspace_id !== server.workspaceId)).toBe(true);
    expect((await expectStatus('GET', `/api/v1/marketplace/listings/${bundle.id}`, 200)).installs).toBe(2);

    const removed = (await expectStatus(
      'DELETE',
      `/api/v1/marketplace/installations/${second.id}`,
      200,
      undefined,
      otherWorkspaceToken,
    )) as Installation;
    expect(removed.status).toBe('uninstalled');
    const left = (await expectStatus('GET', '/api/v1/agents', 200, undefined, otherWorkspaceToken)) as { data: { name: string }[] };
    expect(left.data.map((agent) => agent.name)).toEqual(['writer']);
    const again = await send('DELETE', `/api/v1/marketplace/installations/${second.id}`, undefined, otherWorkspaceToken);
    expect(again.json().error.code).toBe('INSTALLATION_NOT_ACTIVE');
    expect((await expectStatus('GET', `/api/v1/marketplace/listings/${bundle.id}`, 200)).activeInstalls).toBe(1);
  });

  it('upgrades field by field: what the workspace changed stays, what it did not takes the new version', async () => {
    const analyst = await createAgent('analyst', { capabilities: ['analysis'] });
    const listing = await publish({ kind: 'agent', sourceId: analyst.id, title: 'Analyst' });
    const installation = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/install`,
      201,
      {},
      otherWorkspaceToken,
    )) as Installation;
    const installedId = installation.items[0]?.id;
    // The workspace changes the capabilities; the publisher then changes role and capabilities.
    await expectStatus('PATCH', `/api/v1/agents/${installedId}`, 200, { capabilities: ['analysis', 'finance'] }, otherWorkspaceToken);
    await expectStatus('PATCH', `/api/v1/agents/${analyst.id}`, 200, { role: 'Lead analyst', capabilities: ['analysis', 'statistics'] });
    await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/versions`, 201, { version: '2.0.0', changelog: 'Statistics' });

    const preview = (await expectStatus(
      'GET',
      `/api/v1/marketplace/installations/${installation.id}/upgrade?version=2.0.0`,
      200,
      undefined,
      otherWorkspaceToken,
    )) as UpgradePreview;
    expect(preview).toMatchObject({ from: '1.0.0', to: '2.0.0' });
    expect(preview.changes.map((change) => [change.field, change.outcome]).sort()).toEqual([
      ['capabilities', 'keep-yours'],
      ['role', 'update'],
    ]);
    const upgraded = (await expectStatus(
      'POST',
      `/api/v1/marketplace/installations/${installation.id}/upgrade`,
      200,
      { version: '2.0.0' },
      otherWorkspaceToken,
    )) as Installation;
    expect(upgraded.version).toBe('2.0.0');
    const agent = (await expectStatus('GET', `/api/v1/agents/${installedId}`, 200, undefined, otherWorkspaceToken)) as {
      role: string;
      capabilities: string[];
    };
    expect(agent).toMatchObject({ role: 'Lead analyst', capabilities: ['analysis', 'finance'] });
  });

  it('forks with attribution into an unlisted, free draft of your own', async () => {
    const source = await createAgent('forkable');
    const original = await publish({
      kind: 'agent',
      sourceId: source.id,
      title: 'Forkable',
      pricing: { model: 'one-off', priceCredits: 500 },
    });
    const fork = (await expectStatus('POST', `/api/v1/marketplace/listings/${original.id}/fork`, 201, {}, member.token)) as Listing;
    expect(fork).toMatchObject({
      title: 'Forkable (fork)',
      publisher: { kind: 'user', id: member.id, name: 'Mina Member' },
      visibility: 'unlisted',
      pricing: { model: 'free' },
      latestVersion: '1.0.0',
      forkedFrom: { listingId: original.id, title: 'Forkable', version: '1.0.0' },
      canEdit: true,
    });
    const content = (await expectStatus(
      'GET',
      `/api/v1/marketplace/listings/${fork.id}/versions/1.0.0`,
      200,
      undefined,
      member.token,
    )) as ListingVersion;
    expect(content.content.agents[0]?.name).toBe('forkable');
    // The original's publisher cannot edit the fork, and the fork does not show in search.
    expect((await send('PATCH', `/api/v1/marketplace/listings/${fork.id}`, { title: 'Mine now' })).statusCode).toBe(403);
    const search = (await expectStatus('GET', '/api/v1/marketplace/search?q=forkable', 200)) as ListingSearchResult;
    expect(search.data.map((listing) => listing.id)).toEqual([original.id]);
  });

  it('refuses to install a paid listing the workspace has not bought, creating nothing', async () => {
    const seller = await createAgent('seller');
    const paid = await publish({
      kind: 'agent',
      sourceId: seller.id,
      title: 'Paid seller',
      pricing: { model: 'subscription', monthlyCredits: 900 },
    });
    const before = await server.database.db.selectFrom('agents').select('id').execute();
    const refused = await send('POST', `/api/v1/marketplace/listings/${paid.id}/install`, {}, member.token);
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.code).toBe('LISTING_PAYMENT_REQUIRED');
    expect(await server.database.db.selectFrom('agents').select('id').execute()).toHaveLength(before.length);
  });

  it('searches by words with filters, facets and sorting, and never shows unlisted listings', async () => {
    const base = await createAgent('searcher');
    const make = (title: string, extra: Record<string, unknown>) => publish({ kind: 'agent', sourceId: base.id, title, ...extra });
    const legal = await make('Contract reviewer', { summary: 'Reads contracts for risky clauses', category: 'legal', tags: ['contracts'] });
    const sales = await make('Lead qualifier', { summary: 'Scores inbound leads', category: 'sales', tags: ['leads', 'crm'] });
    await make('Hidden reviewer', { summary: 'Reads contracts quietly', category: 'legal', visibility: 'unlisted' });

    const words = (await expectStatus('GET', '/api/v1/marketplace/search?q=contract', 200)) as ListingSearchResult;
    expect(words.data.map((listing) => listing.id)).toEqual([legal.id]);
    const prefix = (await expectStatus('GET', '/api/v1/marketplace/search?q=qualif', 200)) as ListingSearchResult;
    expect(prefix.data.map((listing) => listing.id)).toEqual([sales.id]);

    const filtered = (await expectStatus('GET', '/api/v1/marketplace/search?category=sales&sort=newest', 200)) as ListingSearchResult;
    expect(filtered.data.map((listing) => listing.id)).toEqual([sales.id]);
    expect(filtered.total).toBe(1);
    // The category facet ignores the category filter: every category stays countable.
    expect(filtered.facets.category).toEqual(
      expect.arrayContaining([
        { value: 'legal', count: 1 },
        { value: 'sales', count: 1 },
      ]),
    );
    const tagged = (await expectStatus('GET', '/api/v1/marketplace/search?tags=leads,crm', 200)) as ListingSearchResult;
    expect(tagged.data.map((listing) => listing.id)).toEqual([sales.id]);
    const paidOnly = (await expectStatus(
      'GET',
      '/api/v1/marketplace/search?pricing=one-off,subscription&q=seller',
      200,
    )) as ListingSearchResult;
    expect(paidOnly.data.map((listing) => listing.title)).toEqual(['Paid seller']);
    const bad = await send('GET', '/api/v1/marketplace/search?sort=loudest');
    expect(bad.statusCode).toBe(400);
  });

  it('takes ratings only from installers, holds reported and word-listed reviews for a moderator, and counts only published ones', async () => {
    const helper = await createAgent('helper');
    const listing = await publish({ kind: 'agent', sourceId: helper.id, title: 'Helper' });
    const notInstalled = await send(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/reviews`,
      { rating: 5, body: 'Great' },
      viewer.token,
    );
    expect(notInstalled.statusCode).toBe(403);
    expect(notInstalled.json().error.code).toBe('REVIEW_REQUIRES_INSTALL');
    const own = await send('POST', `/api/v1/marketplace/listings/${listing.id}/reviews`, { rating: 5, body: 'Mine is great' });
    expect(own.json().error.code).toBe('REVIEW_REQUIRES_INSTALL');

    await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/install`, 201, { options: { namePrefix: 'm-' } }, member.token);
    const review = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/reviews`,
      201,
      { rating: 4, body: 'Useful helper' },
      member.token,
    )) as Review;
    expect(review).toMatchObject({ status: 'published', version: '1.0.0', author: { id: member.id, name: 'Mina Member' } });
    const replaced = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/reviews`,
      200,
      { rating: 3, body: 'Useful, a bit slow' },
      member.token,
    )) as Review;
    expect(replaced.id).toBe(review.id);
    expect((await expectStatus('GET', `/api/v1/marketplace/listings/${listing.id}`, 200)).rating).toMatchObject({ average: 3, count: 1 });

    await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/reviews/${review.id}/report`,
      200,
      { reason: 'Off topic' },
      viewer.token,
    );
    expect((await expectStatus('GET', `/api/v1/marketplace/listings/${listing.id}`, 200)).rating).toMatchObject({
      average: null,
      count: 0,
    });
    const notAdmin = await send('GET', '/api/v1/marketplace/moderation/queue', undefined, member.token);
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json().error.code).toBe('INSTANCE_ADMIN_REQUIRED');
    const queue = (await expectStatus('GET', '/api/v1/marketplace/moderation/queue', 200)) as Page<ModerationItem>;
    expect(queue.data).toEqual([
      expect.objectContaining({ id: review.id, listingTitle: 'Helper', reportReasons: ['Off topic'], reports: 1, status: 'pending' }),
    ]);
    const approved = (await expectStatus('POST', `/api/v1/marketplace/moderation/reviews/${review.id}`, 200, {
      decision: 'approve',
      reason: 'On topic after all',
    })) as Review;
    expect(approved).toMatchObject({ status: 'published', moderation: { decision: 'approved', reason: 'On topic after all' } });
    expect((await expectStatus('GET', `/api/v1/marketplace/listings/${listing.id}`, 200)).rating).toMatchObject({ average: 3, count: 1 });

    await expectStatus('PUT', '/api/v1/marketplace/moderation/settings', 200, { blockedWords: ['scam'] });
    const held = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/reviews`,
      200,
      { rating: 1, body: 'A total SCAM' },
      member.token,
    )) as Review;
    expect(held.status).toBe('pending');
    const pending = (await expectStatus('GET', '/api/v1/marketplace/moderation/queue', 200)) as Page<ModerationItem>;
    expect(pending.data[0]).toMatchObject({ id: review.id, matchedWords: ['scam'] });
    const reviews = (await expectStatus(
      'GET',
      `/api/v1/marketplace/listings/${listing.id}/reviews`,
      200,
      undefined,
      viewer.token,
    )) as Page<Review>;
    expect(reviews.data).toEqual([]);
    const reply = (await expectStatus('PUT', `/api/v1/marketplace/listings/${listing.id}/reviews/${review.id}/reply`, 200, {
      body: 'Thanks, we sped it up',
    })) as Review;
    expect(reply.reply?.body).toBe('Thanks, we sped it up');
    expect(
      (await send('PUT', `/api/v1/marketplace/listings/${listing.id}/reviews/${review.id}/reply`, { body: 'Not mine' }, member.token))
        .statusCode,
    ).toBe(403);
  });
});
