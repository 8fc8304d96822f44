import type { Installation, Listing, ListingSearchResult } from '@mission-control/contracts';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { expectAccessibleAndNarrow, openSignedInPage } from './page-checks.js';

/** Some Chromium builds log a refused fetch as a console error: the refusals a test provokes on purpose are not the page's errors. */
const unexpected = (errors: string[], statuses: number[]) =>
  errors.filter((error) => !statuses.some((status) => error.includes(`status of ${status}`)));

/** Invites someone to the default workspace, accepts the link as a new account, and signs them in; answers their token. */
async function addPerson(harness: Harness, email: string, name: string, password: string): Promise<string> {
  const invited = await harness.api<{ token: string }>('POST', '/invitations', { email, role: 'member' });
  expect(invited.status).toBe(201);
  const accepted = await harness.api('POST', `/invitation-links/${invited.body.token}/accept`, { name, password });
  expect(accepted.status).toBe(200);
  const login = await harness.api<{ accessToken: string }>('POST', '/auth/login', { email, password });
  expect(login.status).toBe(200);
  return login.body.accessToken;
}

describe('the marketplace in a real browser', () => {
  let harness: Harness;
  let page: Page | undefined;

  beforeAll(async () => {
    harness = await startHarness({ MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, `failed-marketplace-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it('publishes an agent from its page, finds it, installs it with a prefix, upgrades it after a new version, and uninstalls it', async () => {
    // Unique names: a retry must not meet the first attempt's agent, listing or installation.
    const suffix = Date.now().toString(36);
    const agentName = `scout-${suffix}`;
    const title = `Scout ${suffix}`;
    const agent = await harness.api<{ id: string }>('POST', '/agents', {
      name: agentName,
      role: 'Researcher',
      capabilities: ['research'],
      memoryContext: 'Prefers primary sources.',
    });
    expect(agent.status).toBe(201);

    const opened = await openSignedInPage(harness, { width: 1440, height: 1000 });
    page = opened.page;
    try {
      // Publish from the agent's page: the publish page starts with that agent.
      await page.goto(`/agents/${agent.body.id}`);
      await page.getByRole('heading', { name: agentName, level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Publish to marketplace' }).click();
      await page.waitForURL(/\/marketplace\/publish\?kind=agent&source=/);
      await expect.poll(() => page?.title()).toBe('Publish to marketplace · Mission Control');
      const form = page.getByRole('form', { name: 'Publish a listing' });
      await expect.poll(() => form.getByLabel('The agent to publish').inputValue()).toBe(agent.body.id);
      await form.getByRole('button', { name: 'Publish', exact: true }).click();
      await form.getByText('Give it a title.').waitFor();
      await form.getByLabel('Title', { exact: true }).fill(title);
      await form.getByLabel('Summary', { exact: true }).fill(`Finds and summarises sources (${suffix})`);
      await form.getByLabel('Description (markdown, optional)').fill('## How it works\n\nReads **primary sources** first.');
      await form.getByLabel('Category', { exact: true }).fill('research');
      await form.getByLabel('Tags (comma separated, optional)').fill('sources, summaries');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'marketplace-publish');
      await form.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByText(`Published ${title} to the marketplace.`).waitFor();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const listingId = /\/marketplace\/listings\/([^/?]+)/.exec(page.url())?.[1] ?? '';
      expect(listingId).not.toBe('');

      // Find it by search, from the main navigation.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace', exact: true }).click();
      await page.getByRole('heading', { name: 'Marketplace', level: 1 }).waitFor();
      await expect.poll(() => page?.title()).toBe('Marketplace · Mission Control');
      await page.getByLabel('Search the marketplace').fill(suffix);
      await page.waitForURL(new RegExp(`q=${suffix}`));
      const card = page.getByTestId('listing-card').filter({ hasText: title });
      await card.getByText('Free', { exact: true }).waitFor();
      await card.getByText('No ratings yet').waitFor();
      await expect.poll(() => page?.getByTestId('result-count').textContent()).toBe('1 listing');
      await page.getByRole('checkbox', { name: 'Free (1)' }).check();
      await page.waitForURL(/pricing=free/);
      await card.waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'marketplace-search');
      await card.getByRole('link', { name: title }).click();

      // The listing: what it installs, then Install with a prefix.
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await expect.poll(() => page?.title()).toBe(`${title} (marketplace) · Mission Control`);
      await page.getByRole('heading', { name: 'How it works' }).waitFor();
      await page.getByTestId('content-agent').getByText(agentName, { exact: true }).waitFor();
      const install = page.getByRole('form', { name: `Install ${title}` });
      await install.getByLabel('Name prefix (optional)').fill('my-');
      await install.getByRole('button', { name: /^Install into / }).click();
      const result = page.getByTestId('installed-result');
      await result.getByText('Installed version 1.0.0 into', { exact: false }).waitFor();
      const installedName = `my-${agentName}`;
      await result.getByRole('link', { name: installedName }).waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'marketplace-listing');

      // Installed: it is there with the agent it created.
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Installed' }).click();
      await expect.poll(() => page?.title()).toBe('Installed from marketplace · Mission Control');
      const installation = page.getByTestId('installation').filter({ hasText: title });
      await installation.getByRole('link', { name: installedName }).waitFor();
      await installation.getByText('Up to date.').waitFor();

      // The publisher changes the agent and publishes 1.1.0 from the listing page.
      expect((await harness.api('PATCH', `/agents/${agent.body.id}`, { role: 'Senior researcher' })).status).toBe(200);
      await page.goto(`/marketplace/listings/${listingId}`);
      await page.getByRole('button', { name: 'Publish a new version' }).click();
      const versionForm = page.getByRole('form', { name: `New version of ${title}` });
      await versionForm.getByLabel('Version', { exact: true }).fill('1.1.0');
      await versionForm.getByLabel('What changed (markdown)').fill('A senior role');
      await versionForm.getByRole('button', { name: 'Publish version' }).click();
      await page.getByText(`Published version 1.1.0 of ${title}.`).waitFor();
      await page.getByTestId('listing-version').first().getByText('Version 1.1.0').waitFor();
      await page
        .getByTestId('content-agent')
        .getByText(/Senior researcher/)
        .waitFor();

      // Upgrade: the preview says each change before anything happens.
      await page.goto('/marketplace/installed');
      await installation.getByRole('button', { name: 'Upgrade to 1.1.0' }).click();
      const dialog = page.getByRole('dialog', { name: `Upgrade ${title}?` });
      await dialog.getByText('Role: Researcher → Senior researcher — will update').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'marketplace-upgrade-preview');
      await dialog.getByRole('button', { name: 'Upgrade to 1.1.0' }).click();
      await page.getByText(`Upgraded ${title} to version 1.1.0.`).waitFor();
      await installation.getByText('Up to date.').waitFor();
      const installations = await harness.api<{ data: Installation[] }>('GET', '/marketplace/installations');
      const installed = installations.body.data.find((each) => each.listingId === listingId);
      expect(installed?.version).toBe('1.1.0');
      const installedAgentId = installed?.items.find((item) => item.kind === 'agent')?.id ?? '';
      const upgradedAgent = await harness.api<{ role: string; name: string }>('GET', `/agents/${installedAgentId}`);
      expect(upgradedAgent.body).toMatchObject({ role: 'Senior researcher', name: installedName });

      // Uninstall, after confirming: the agent it created is gone.
      await installation.getByRole('button', { name: 'Uninstall' }).click();
      const confirm = page.getByRole('dialog', { name: `Uninstall ${title}?` });
      await confirm.getByRole('button', { name: `Uninstall ${title}` }).click();
      await page.getByText(`Uninstalled ${title}: what it created is deleted.`).waitFor();
      await expect.poll(() => installation.count()).toBe(0);
      expect((await harness.api('GET', `/agents/${installedAgentId}`)).status).toBe(404);
      expect(unexpected(opened.errors, [404])).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  }, 120_000);

  it('holds a review with a listed word for the moderators, who see it in the queue with the matched word and reject it', async () => {
    const suffix = Date.now().toString(36);
    const memberToken = await addPerson(harness, `mina-${suffix}@example.com`, 'Mina Member', 'correct horse battery mina');
    const helper = await harness.api<{ id: string }>('POST', '/agents', { name: `helper-${suffix}`, role: 'Helper' }, memberToken);
    expect(helper.status).toBe(201);
    const title = `Helper ${suffix}`;
    const listing = await harness.api<Listing>(
      'POST',
      '/marketplace/listings',
      { kind: 'agent', sourceId: helper.body.id, title, summary: 'Helps with anything', category: 'productivity' },
      memberToken,
    );
    expect(listing.status).toBe(201);
    expect((await harness.api('PUT', '/marketplace/moderation/settings', { blockedWords: ['scam'] })).status).toBe(200);
    expect((await harness.api('POST', `/marketplace/listings/${listing.body.id}/install`, { options: { namePrefix: 'h-' } })).status).toBe(
      201,
    );

    const opened = await openSignedInPage(harness, { width: 1440, height: 1000 });
    page = opened.page;
    try {
      // The owner installed it, so the listing page offers a review form.
      await page.goto(`/marketplace/listings/${listing.body.id}`);
      const review = page.getByRole('form', { name: 'Your review' });
      await review.getByLabel('1 star', { exact: true }).check();
      await review.getByLabel('What worked, what did not (optional)').fill('A total scam');
      await review.getByRole('button', { name: 'Post review' }).click();
      await page.getByText('Thank you: your review waits for a moderator before it counts.').waitFor();
      await page.getByTestId('review').getByText('Waiting for a moderator: it does not count yet.').waitFor();

      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Moderation' }).click();
      await expect.poll(() => page?.title()).toBe('Marketplace moderation · Mission Control');
      const item = page.getByTestId('moderation-item').filter({ hasText: title });
      await item.locator('mark', { hasText: 'scam' }).waitFor();
      await page.getByRole('form', { name: 'Word list' }).getByLabel('Words, one a line').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'marketplace-moderation');
      await item.getByLabel('Reason for your decision').fill('Insults, not a review');
      await item.getByRole('button', { name: 'Reject' }).click();
      await page.getByText('Rejected the review by', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Decided' }).click();
      await item.getByText(/^Rejected by .+: “Insults, not a review”$/).waitFor();

      // Someone who is not a server administrator is told who moderates.
      const memberView = await harness.browser.newContext({
        viewport: { width: 390, height: 844 },
        baseURL: harness.baseUrl,
        bypassCSP: true,
      });
      const memberPage = await memberView.newPage();
      try {
        await harness.login(memberPage, `mina-${suffix}@example.com`, 'correct horse battery mina');
        await memberPage.goto('/marketplace/moderation');
        await memberPage.getByText('Only server administrators moderate the marketplace').waitFor();
        expect(await memberPage.getByRole('alert').count()).toBe(0);
        await expectAccessibleAndNarrow(memberPage);
        await harness.screenshot(memberPage, 'marketplace-moderation-not-admin');
      } finally {
        await memberView.close();
      }
      expect(unexpected(opened.errors, [403, 404])).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  }, 120_000);

  for (const variant of [
    { name: 'light', colorScheme: 'light', width: 1440, height: 1000 },
    { name: 'dark', colorScheme: 'dark', width: 1440, height: 1000 },
    { name: 'phone', colorScheme: 'light', width: 390, height: 844 },
    { name: 'phone-dark', colorScheme: 'dark', width: 390, height: 844 },
  ] as const) {
    it(`passes axe on the marketplace pages without scrolling sideways (${variant.name})`, async () => {
      // A paid listing with a review and an installation, so every part of the pages is drawn.
      const found = await harness.api<ListingSearchResult>('GET', '/marketplace/search?q=Digest');
      let listing = found.body.data[0];
      if (!listing) {
        const agent = await harness.api<{ id: string }>('POST', '/agents', { name: `digest-${Date.now().toString(36)}`, role: 'Writer' });
        const created = await harness.api<Listing>('POST', '/marketplace/listings', {
          kind: 'agent',
          sourceId: agent.body.id,
          title: 'Digest writer',
          summary: 'Writes the weekly digest from the week’s tasks',
          description: 'Reads the **done** tasks and writes a digest.',
          category: 'writing',
          tags: ['digest', 'weekly'],
          pricing: { model: 'subscription', monthlyCredits: 900 },
        });
        listing = created.body;
        await harness.api('POST', `/marketplace/listings/${listing.id}/install`, { options: { namePrefix: 'd-' } });
      }
      const opened = await openSignedInPage(harness, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = opened.page;
      try {
        await page.goto('/marketplace?q=Digest');
        await page.getByTestId('listing-card').filter({ hasText: 'Digest writer' }).getByText('900 credits a month').waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `marketplace-browse-${variant.name}`);

        await page.goto(`/marketplace/listings/${listing.id}`);
        await page.getByTestId('content-agent').waitFor();
        await page.getByTestId('listing-version').first().waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `marketplace-listing-${variant.name}`);

        await page.goto('/marketplace/installed');
        await page.getByTestId('installation').first().waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `marketplace-installed-${variant.name}`);

        await page.goto('/marketplace/mine');
        await page.getByTestId('listing-card').first().waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `marketplace-mine-${variant.name}`);

        await page.goto('/marketplace/moderation');
        await page.getByRole('form', { name: 'Word list' }).waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `marketplace-moderation-${variant.name}`);
        expect(unexpected(opened.errors, [404])).toEqual([]);
      } finally {
        await opened.context.close();
        page = undefined;
      }
    }, 120_000);
  }
});
