import type { Listing } from '@mission-control/contracts';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eEngines, startHarnessOn } from './engines.js';
import { type Harness, ownerEmail, ownerPassword } from './harness.js';
import { expectAccessibleAndNarrow, openSignedInPage } from './page-checks.js';
import { invitePerson, openPageAs, type Person, unexpected, variants } from './people.js';

describe.each(e2eEngines)('renting a listing with escrow, and a dispute resolved, in a real browser (%s)', (engine) => {
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
      .screenshot(page, `failed-rentals-${engine}-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`)
      .catch(() => {});
  });

  it('rents and installs a listing, disputes it, and the administrator refunds part of the escrow', async () => {
    // Unique names: a retry must not meet the first attempt's people, workspace or listing.
    const suffix = Date.now().toString(36);
    const publisher: Person = { email: `pia-${suffix}@example.com`, name: `Pia ${suffix}`, password: 'correct horse battery pia' };
    const renter: Person = { email: `rita-${suffix}@example.com`, name: `Rita ${suffix}`, password: 'correct horse battery rita' };
    const workspaceName = `Renters ${suffix}`;
    const title = `Analyst ${suffix}`;

    // The publisher, a member of the default workspace, publishes an agent for rent: 300 credits for 7 days.
    const publisherToken = await invitePerson(harness, publisher, 'member');
    const agent = await harness.api<{ id: string }>('POST', '/agents', { name: `analyst-${suffix}`, role: 'Analyst' }, publisherToken);
    expect(agent.status).toBe(201);
    const listing = await harness.api<Listing>(
      'POST',
      '/marketplace/listings',
      {
        kind: 'agent',
        sourceId: agent.body.id,
        title,
        summary: 'Reads the numbers',
        category: 'analysis',
        pricing: { model: 'rental', days: 7, priceCredits: 300 },
      },
      publisherToken,
    );
    expect(listing.status).toBe(201);

    // The renter is an admin of a second workspace, which the owner (a server administrator) gives 1,000 credits.
    const workspace = await harness.api<{ id: string }>('POST', '/workspaces', { name: workspaceName, taskKeyPrefix: 'RENT' });
    expect(workspace.status).toBe(201);
    const ownerThere = await harness.api<{ accessToken: string }>('POST', '/auth/login', {
      email: ownerEmail,
      password: ownerPassword,
      workspaceId: workspace.body.id,
    });
    expect(ownerThere.status).toBe(200);
    const renterToken = await invitePerson(harness, renter, 'admin', ownerThere.body.accessToken);
    const grant = await harness.api('POST', '/credits/grants', { workspaceId: workspace.body.id, amount: 1000, reason: `Pilot ${suffix}` });
    expect(grant.status).toBe(201);
    const balance = async () => (await harness.api<{ balance: number }>('GET', '/credits', undefined, renterToken)).body.balance;
    expect(await balance()).toBe(1000);

    const renting = await openPageAs(harness, renter, { width: 1440, height: 1000 }, 'light');
    page = renting.page;
    try {
      // Rent it, confirming first: the period's end is said, then it installs.
      await page.goto(`/marketplace/listings/${listing.body.id}`);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.getByText(`${workspaceName} has 1,000 credits.`).waitFor();
      await page.getByRole('button', { name: 'Rent for 7 days for 300 credits' }).click();
      const confirm = page.getByRole('dialog', { name: `Rent ${title}?` });
      await confirm.getByText(`It costs 300 credits for 7 days: ${workspaceName} will have 700 credits left.`).waitFor();
      await harness.screenshot(page, 'rentals-confirm');
      await confirm.getByRole('button', { name: 'Confirm: rent for 300 credits' }).click();
      await page.getByText(new RegExp(`^Rented ${title} until .+, 300 credits held in escrow`)).waitFor();
      await page
        .getByTestId('rental-period')
        .getByText(/^Rented until .+, in 7 days\.$/)
        .waitFor();
      await page
        .getByRole('form', { name: `Install ${title}` })
        .getByLabel('Name prefix (optional)')
        .fill(`r${suffix}-`);
      await page.getByRole('button', { name: `Install into ${workspaceName}` }).click();
      await page.getByTestId('installed-result').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'rentals-rented-and-installed');
      expect(await balance()).toBe(700);

      // The Rentals page: running, with its price held in escrow.
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Rentals' }).click();
      await expect.poll(() => page?.title()).toBe('Rentals · Mission Control');
      const rental = page.getByTestId('rental').filter({ hasText: title });
      await rental.getByTestId('rental-status').getByText('Running').waitFor();
      expect(await rental.getByTestId('rental-escrow').textContent()).toBe('300 credits');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'rentals-list');

      // Dispute it with a reason; an empty one is refused first.
      await rental.getByRole('button', { name: `Open a dispute over ${title}` }).click();
      const dispute = page.getByRole('dialog', { name: `Dispute ${title}` });
      await dispute.getByRole('button', { name: 'Open the dispute' }).click();
      await dispute.getByText('Say what went wrong: the administrator who decides reads it.').waitFor();
      await dispute.getByLabel('What went wrong').fill('It stopped answering after the second day.');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'rentals-dispute-dialog');
      await dispute.getByRole('button', { name: 'Open the dispute' }).click();
      await page.getByText(new RegExp(`^Opened a dispute over ${title}: its 300 credits stay in escrow`)).waitFor();
      await rental.getByTestId('rental-status').getByText('Disputed').waitFor();
      await rental.getByRole('link', { name: `See the dispute over ${title}` }).waitFor();
      await harness.screenshot(page, 'rentals-disputed');
      expect(unexpected(renting.errors)).toEqual([]);
    } finally {
      page = undefined;
    }

    // The administrator sees the dispute, named with its workspace, and checks the disputes page in every theme and width.
    for (const variant of variants) {
      const checking = await openSignedInPage(harness, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = checking.page;
      try {
        await page.goto('/marketplace/disputes');
        await page.getByTestId('dispute').filter({ hasText: title }).getByRole('form').waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `disputes-admin-${variant.name}`);
        expect(unexpected(checking.errors)).toEqual([]);
      } finally {
        await checking.context.close();
        page = undefined;
      }
    }
    const resolving = await openSignedInPage(harness, { width: 1440, height: 1000 });
    page = resolving.page;
    try {
      await page.goto('/marketplace');
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Disputes' }).click();
      await expect.poll(() => page?.title()).toBe('Disputes · Mission Control');
      const card = page.getByTestId('dispute').filter({ hasText: title });
      await card.getByText('It stopped answering after the second day.').waitFor();
      await card.getByText(`of ${workspaceName},`, { exact: false }).waitFor();
      await card.getByText(renter.name, { exact: true }).waitFor();
      const form = card.getByRole('form', { name: `Resolve the dispute over ${title}` });
      await form.getByLabel('Credits to refund (optional)').fill('400');
      await form.getByRole('button', { name: 'Resolve the dispute' }).click();
      await form.getByText('Refund a whole number from 1 to 300 credits, or leave it empty to refund all of it.').waitFor();
      await form.getByLabel('Credits to refund (optional)').fill('100');
      await form.getByLabel('Reason for the decision').fill('Down for two of the seven days');
      await harness.screenshot(page, 'disputes-resolve-form');
      await form.getByRole('button', { name: 'Resolve the dispute' }).click();
      await page
        .getByText(`Resolved the dispute over ${title}: 100 credits refunded to the workspace, 200 credits released to the publisher.`)
        .waitFor();
      await card
        .getByTestId('dispute-resolution')
        .getByText('Refunded 100 credits to the workspace, released 200 credits to the publisher.')
        .waitFor();
      await card.getByTestId('dispute-status').getByText('Resolved').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'disputes-resolved');
      expect(unexpected(resolving.errors)).toEqual([]);
    } finally {
      await resolving.context.close();
      page = undefined;
    }
    expect(await balance()).toBe(800);

    // The renter sees the dispute resolved, the rental settled, and the balance up by the refund.
    page = renting.page;
    try {
      await page.goto('/marketplace/disputes');
      const resolved = page.getByTestId('dispute').filter({ hasText: title });
      await resolved
        .getByTestId('dispute-resolution')
        .getByText(/^By .+: “Down for two of the seven days”$/)
        .waitFor();
      expect(await resolved.getByRole('form').count()).toBe(0);
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'disputes-renter-resolved');
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Rentals' }).click();
      const settled = page.getByTestId('rental').filter({ hasText: title });
      await settled.getByTestId('rental-status').getByText('Settled by a dispute').waitFor();
      expect(await settled.getByTestId('rental-escrow').textContent()).toBe('0 credits');
      await settled.getByText('The access has ended: what was installed from it is paused.').waitFor();
      await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Credits' }).click();
      await page.getByTestId('credit-balance').getByText('800 credits', { exact: true }).waitFor();
      await page.getByTestId('credit-transaction').filter({ hasText: '+100 credits' }).filter({ hasText: title }).first().waitFor();
      await harness.screenshot(page, 'rentals-credits-after-refund');
      expect(unexpected(renting.errors)).toEqual([]);
    } finally {
      await renting.context.close();
      page = undefined;
    }

    // The renter's new screens in every theme and width.
    for (const variant of variants) {
      const checking = await openPageAs(harness, renter, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = checking.page;
      try {
        await page.goto('/marketplace/rentals');
        await page.getByTestId('rental').filter({ hasText: title }).waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `rentals-${variant.name}`);
        await page.goto('/marketplace/disputes');
        await page.getByTestId('dispute-resolution').first().waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `disputes-renter-${variant.name}`);
        await page.goto(`/marketplace/listings/${listing.body.id}`);
        await page.getByRole('button', { name: 'Rent for 7 days for 300 credits' }).waitFor();
        await expectAccessibleAndNarrow(page);
        expect(unexpected(checking.errors)).toEqual([]);
      } finally {
        await checking.context.close();
        page = undefined;
      }
    }
  }, 240_000);
});
