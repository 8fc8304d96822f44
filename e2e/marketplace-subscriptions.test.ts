import type { Installation, Listing, Subscription } from '@mission-control/contracts';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eEngines, startHarnessOn } from './engines.js';
import { type Harness, ownerEmail, ownerPassword } from './harness.js';
import { expectAccessibleAndNarrow } from './page-checks.js';
import { invitePerson, openPageAs, type Person, unexpected, variants } from './people.js';

describe.each(e2eEngines)('subscribing to listings paid by use and by the month, in a real browser (%s)', (engine) => {
  let harness: Harness;
  let page: Page | undefined;

  beforeAll(async () => {
    harness = await startHarnessOn(engine, { MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness
      .screenshot(page, `failed-subscriptions-${engine}-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`)
      .catch(() => {});
  });

  it('meters a pay-per-use subscription to its limit, raises the limit, and cancels and keeps a monthly one', async () => {
    // Unique names: a retry must not meet the first attempt's people, workspace or listings.
    const suffix = Date.now().toString(36);
    const publisher: Person = { email: `paz-${suffix}@example.com`, name: `Paz ${suffix}`, password: 'correct horse battery paz' };
    const subscriber: Person = { email: `sami-${suffix}@example.com`, name: `Sami ${suffix}`, password: 'correct horse battery sami' };
    const workspaceName = `Subscribers ${suffix}`;
    const usageTitle = `Tasker ${suffix}`;
    const monthlyTitle = `Monthly writer ${suffix}`;
    const prefix = `s${suffix}-`;

    // The publisher, a member of the default workspace, publishes one agent paid per task done (10
    // credits each) and one paid monthly (50 credits a month).
    const publisherToken = await invitePerson(harness, publisher, 'member');
    const publish = async (name: string, title: string, pricing: Listing['pricing']) => {
      const agent = await harness.api<{ id: string }>('POST', '/agents', { name, role: 'Helper' }, publisherToken);
      expect(agent.status).toBe(201);
      const listing = await harness.api<Listing>(
        'POST',
        '/marketplace/listings',
        { kind: 'agent', sourceId: agent.body.id, title, summary: 'Does the work', category: 'operations', pricing },
        publisherToken,
      );
      expect(listing.status).toBe(201);
      return listing.body;
    };
    const usageListing = await publish(`tasker-${suffix}`, usageTitle, { model: 'usage', unit: 'task', creditsPerUnit: 10 });
    const monthlyListing = await publish(`writer-${suffix}`, monthlyTitle, { model: 'subscription', monthlyCredits: 50 });

    // The subscriber is an admin of a second workspace, which the owner (a server administrator) gives 1,000 credits.
    const workspace = await harness.api<{ id: string }>('POST', '/workspaces', { name: workspaceName, taskKeyPrefix: 'SUBS' });
    expect(workspace.status).toBe(201);
    const ownerThere = await harness.api<{ accessToken: string }>('POST', '/auth/login', {
      email: ownerEmail,
      password: ownerPassword,
      workspaceId: workspace.body.id,
    });
    expect(ownerThere.status).toBe(200);
    const subscriberToken = await invitePerson(harness, subscriber, 'admin', ownerThere.body.accessToken);
    const grant = await harness.api('POST', '/credits/grants', { workspaceId: workspace.body.id, amount: 1000, reason: `Pilot ${suffix}` });
    expect(grant.status).toBe(201);
    const balance = async () => (await harness.api<{ balance: number }>('GET', '/credits', undefined, subscriberToken)).body.balance;
    expect(await balance()).toBe(1000);
    const subscriptionTo = async (listingId: string) => {
      const list = await harness.api<{ data: Subscription[] }>('GET', '/marketplace/subscriptions', undefined, subscriberToken);
      expect(list.status).toBe(200);
      return list.body.data.find((subscription) => subscription.listing.id === listingId);
    };

    const subscribing = await openPageAs(harness, subscriber, { width: 1440, height: 1000 }, 'light');
    page = subscribing.page;
    try {
      // Subscribe paying by use: an empty limit is refused in words, then 30 credits a month.
      await page.goto(`/marketplace/listings/${usageListing.id}`);
      await page.getByRole('heading', { name: usageTitle, level: 1 }).waitFor();
      await page.getByText(`${workspaceName} has 1,000 credits.`).waitFor();
      await page.getByRole('button', { name: 'Subscribe, pay per use' }).click();
      const usageDialog = page.getByRole('dialog', { name: `Subscribe to ${usageTitle}?` });
      await usageDialog
        .getByText('Nothing is charged now: 10 credits per task done; you are warned at 80 % of the monthly limit and it stops at 100 %.')
        .waitFor();
      await usageDialog.getByRole('button', { name: 'Confirm: subscribe' }).click();
      await usageDialog.getByText('Say the most a month may cost, in credits: a whole number such as 500.').waitFor();
      expect(await usageDialog.getByLabel('Monthly spending limit (credits)').getAttribute('aria-invalid')).toBe('true');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-usage-limit-refused');
      await usageDialog.getByLabel('Monthly spending limit (credits)').fill('30');
      await harness.screenshot(page, 'subscriptions-usage-dialog');
      await usageDialog.getByRole('button', { name: 'Confirm: subscribe' }).click();
      await page
        .getByText(`Subscribed to ${usageTitle}, paid by use up to 30 credits a month: nothing is charged until it is used.`)
        .waitFor();
      await page
        .getByTestId('subscription-period')
        .getByText(/^Subscribed, pay per use: 0 credits of 30 credits spent this period, which ends .+\.$/)
        .waitFor();
      expect(await balance()).toBe(1000);

      // Install it: the agent lands in the workspace.
      await page
        .getByRole('form', { name: `Install ${usageTitle}` })
        .getByLabel('Name prefix (optional)')
        .fill(prefix);
      await page.getByRole('button', { name: `Install into ${workspaceName}` }).click();
      await page.getByTestId('installed-result').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-usage-subscribed-and-installed');

      // Marketplace → Subscriptions: active, nothing spent yet.
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Subscriptions' }).click();
      await expect.poll(() => page?.title()).toBe('Subscriptions · Mission Control');
      const usageCard = page.getByTestId('subscription').filter({ hasText: usageTitle });
      await usageCard.getByTestId('subscription-status').getByText('Active', { exact: true }).waitFor();
      expect(await usageCard.getByTestId('subscription-kind').textContent()).toBe('Pay per use');
      expect(await usageCard.getByTestId('subscription-price').textContent()).toBe('10 credits per task done');
      expect(await usageCard.getByTestId('spending-words').textContent()).toBe('0 credits of 30 credits (0 %)');
      expect(await usageCard.getByTestId('subscription-units').textContent()).toBe('0 tasks done');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-usage-active');
    } finally {
      page = undefined;
    }

    // Through the API, as the subscriber: three tasks of the installed agent are done.
    const installations = await harness.api<{ data: Installation[] }>('GET', '/marketplace/installations', undefined, subscriberToken);
    expect(installations.status).toBe(200);
    const installed = installations.body.data.find((installation) => installation.listingId === usageListing.id);
    const agent = installed?.items.find((item) => item.kind === 'agent');
    if (!agent) throw new Error(`The installation of ${usageTitle} has no agent.`);
    expect(agent.name.startsWith(prefix)).toBe(true);
    for (let number = 1; number <= 3; number += 1) {
      const task = await harness.api<{ id: string }>(
        'POST',
        '/tasks',
        { title: `Sort the inbox ${number} ${suffix}`, assignees: [{ kind: 'agent', id: agent.id }] },
        subscriberToken,
      );
      expect(task.status).toBe(201);
      for (const status of ['in_progress', 'review', 'done']) {
        const moved = await harness.api('POST', `/tasks/${task.body.id}/status`, { status }, subscriberToken);
        expect(moved.status).toBe(200);
      }
    }
    // The metering job runs every 2 s: the third task reaches the 30-credit limit and stops it.
    await expect.poll(async () => (await subscriptionTo(usageListing.id))?.status, { timeout: 20_000, interval: 500 }).toBe('stopped');
    expect(await subscriptionTo(usageListing.id)).toMatchObject({
      stoppedReason: 'spending-limit',
      usage: { spendingLimitCredits: 30, spentThisPeriod: 30, unitsThisPeriod: 3 },
    });
    expect(await balance()).toBe(970);
    // The workspace's owner is told why it stopped.
    const inbox = await harness.api<{ data: { content: string }[] }>('GET', '/notifications', undefined, ownerThere.body.accessToken);
    expect(inbox.body.data.map((notification) => notification.content)).toContainEqual(
      expect.stringContaining(`Your subscription to ${usageTitle} stopped: it reached its spending limit`),
    );

    page = subscribing.page;
    try {
      // Subscriptions, reloaded: stopped at its limit, 30 of 30 spent.
      await page.reload();
      const usageCard = page.getByTestId('subscription').filter({ hasText: usageTitle });
      await usageCard.getByTestId('subscription-status').getByText('Stopped: reached its spending limit', { exact: true }).waitFor();
      expect(await usageCard.getByTestId('spending-words').textContent()).toBe('30 credits of 30 credits (100 %)');
      expect(await usageCard.getByTestId('spending').getAttribute('data-level')).toBe('stopped');
      expect(await usageCard.getByTestId('subscription-units').textContent()).toBe('3 tasks done');
      await usageCard.getByText('The limit is reached: it stops until the limit is raised or the next period starts.').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-usage-stopped');

      // The credits page: 970 left, three charges of 10 for the tasks.
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Credits' }).click();
      await page.getByTestId('credit-balance').getByText('970 credits', { exact: true }).waitFor();
      const charges = page.getByTestId('credit-transaction').filter({ hasText: '−10 credits' }).filter({ hasText: usageTitle });
      await charges.first().waitFor();
      expect(await charges.count()).toBe(3);
      await harness.screenshot(page, 'subscriptions-credits-after-usage');

      // The agents page: the installed agent is paused (blocked).
      await page.goto('/agents');
      const agentRow = page.getByRole('row').filter({ hasText: agent.name });
      await agentRow.getByText('blocked', { exact: true }).waitFor();
      await harness.screenshot(page, 'subscriptions-agent-blocked');

      // The listing page says it stopped, instead of Install.
      await page.goto(`/marketplace/listings/${usageListing.id}`);
      await page.getByTestId('subscription-stopped').getByText('Stopped: reached its spending limit.').waitFor();
      expect(await page.getByRole('button', { name: `Install into ${workspaceName}` }).count()).toBe(0);
      await harness.screenshot(page, 'subscriptions-listing-stopped');

      // Raise the limit to 60: it resumes, and so does its agent.
      await page.getByRole('link', { name: 'Change it on the Subscriptions page' }).click();
      await expect.poll(() => page?.title()).toBe('Subscriptions · Mission Control');
      const stoppedCard = page.getByTestId('subscription').filter({ hasText: usageTitle });
      await stoppedCard.getByRole('button', { name: /^Change the spending limit/ }).click();
      const limitDialog = page.getByRole('dialog', { name: `Change the spending limit of ${usageTitle}` });
      await limitDialog.getByText('This period cost 30 credits so far: a limit above that resumes it now.').waitFor();
      expect(await limitDialog.getByLabel('Monthly spending limit (credits)').inputValue()).toBe('30');
      await limitDialog.getByLabel('Monthly spending limit (credits)').fill('60');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-change-limit-dialog');
      await limitDialog.getByRole('button', { name: 'Save the limit' }).click();
      await page
        .getByText(`The spending limit of ${usageTitle} is now 60 credits a month. It resumed: what was installed from it works again.`)
        .waitFor();
      await stoppedCard.getByTestId('subscription-status').getByText('Active', { exact: true }).waitFor();
      await expect.poll(() => stoppedCard.getByTestId('spending-words').textContent()).toBe('30 credits of 60 credits (50 %)');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-usage-resumed');
      await page.goto('/agents');
      await page.getByRole('row').filter({ hasText: agent.name }).getByText('idle', { exact: true }).waitFor();
      expect(await balance()).toBe(970);

      // Subscribe monthly: the first month, 50 credits, is charged at once.
      await page.goto(`/marketplace/listings/${monthlyListing.id}`);
      await page.getByRole('heading', { name: monthlyTitle, level: 1 }).waitFor();
      await page.getByText(`${workspaceName} has 970 credits.`).waitFor();
      await page.getByRole('button', { name: 'Subscribe for 50 credits a month' }).click();
      const monthlyDialog = page.getByRole('dialog', { name: `Subscribe to ${monthlyTitle}?` });
      await monthlyDialog
        .getByText(
          `The first month, 50 credits, is charged now, then 50 credits every month until you cancel: ${workspaceName} will have 920 credits left.`,
        )
        .waitFor();
      await harness.screenshot(page, 'subscriptions-monthly-confirm');
      await monthlyDialog.getByRole('button', { name: 'Confirm: subscribe for 50 credits a month' }).click();
      await page
        .getByText(
          new RegExp(`^Subscribed to ${monthlyTitle} for 50 credits a month, renews .+: ${workspaceName} has 920 credits left\\.$`),
        )
        .waitFor();
      await page
        .getByTestId('subscription-period')
        .getByText(/^Subscribed, renews .+\.$/)
        .waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-monthly-subscribed');
      expect(await balance()).toBe(920);

      // Cancel it at the end of the period (confirming), then keep it after all.
      await page.getByRole('link', { name: 'The workspace’s subscriptions' }).click();
      await expect.poll(() => page?.title()).toBe('Subscriptions · Mission Control');
      const monthlyCard = page.getByTestId('subscription').filter({ hasText: monthlyTitle });
      await monthlyCard.getByTestId('subscription-status').getByText('Active', { exact: true }).waitFor();
      expect(await monthlyCard.getByTestId('subscription-kind').textContent()).toBe('Monthly');
      expect(await monthlyCard.getByTestId('subscription-price').textContent()).toBe('50 credits a month');
      await monthlyCard.getByText('Renews', { exact: true }).waitFor();
      expect(await monthlyCard.getByTestId('spending').count()).toBe(0);
      await monthlyCard.getByRole('button', { name: /^Cancel at the end of the period/ }).click();
      const cancelDialog = page.getByRole('dialog', { name: `Cancel ${monthlyTitle} at the end of the period?` });
      await cancelDialog.getByText(/^It works until .+, then ends: it is not charged again/).waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-cancel-dialog');
      await cancelDialog.getByRole('button', { name: 'Confirm: cancel at the end of the period' }).click();
      await page.getByText(new RegExp(`^Cancelled ${monthlyTitle}: it works until .+, then ends\\.$`)).waitFor();
      await monthlyCard
        .getByTestId('subscription-status')
        .getByText(/^Ends on .+/)
        .waitFor();
      await monthlyCard.getByText('Ends', { exact: true }).waitFor();
      await monthlyCard
        .getByText(
          'Cancelled: it works until the end of the period, then ends, is not charged again and what was installed from it is paused.',
        )
        .waitFor();
      expect((await subscriptionTo(monthlyListing.id))?.cancelAtPeriodEnd).toBe(true);
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-monthly-cancelled');
      await monthlyCard.getByRole('button', { name: /^Keep it/ }).click();
      await page.getByText(new RegExp(`^${monthlyTitle} goes on: it renews .+\\.$`)).waitFor();
      await monthlyCard.getByTestId('subscription-status').getByText('Active', { exact: true }).waitFor();
      await monthlyCard.getByText('Renews', { exact: true }).waitFor();
      await monthlyCard.getByRole('button', { name: /^Cancel at the end of the period/ }).waitFor();
      expect(await subscriptionTo(monthlyListing.id)).toMatchObject({ status: 'active', cancelAtPeriodEnd: false });
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'subscriptions-light');
      expect(await balance()).toBe(920);
      expect(unexpected(subscribing.errors)).toEqual([]);
    } finally {
      await subscribing.context.close();
      page = undefined;
    }

    // The Subscriptions page in every other theme and width.
    for (const variant of variants) {
      const checking = await openPageAs(harness, subscriber, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = checking.page;
      try {
        await page.goto('/marketplace/subscriptions');
        await page.getByTestId('subscription').filter({ hasText: usageTitle }).getByTestId('spending-words').waitFor();
        await page.getByTestId('subscription').filter({ hasText: monthlyTitle }).waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `subscriptions-${variant.name}`);
        expect(unexpected(checking.errors)).toEqual([]);
      } finally {
        await checking.context.close();
        page = undefined;
      }
    }
  }, 240_000);
});
