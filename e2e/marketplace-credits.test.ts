import type { Listing } from '@mission-control/contracts';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { expectAccessibleAndNarrow, openSignedInPage } from './page-checks.js';

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

describe('credits and buying a listing in a real browser', () => {
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
    await harness.screenshot(page, `failed-credits-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it('grants credits, buys and installs a one-off listing, finds the purchase in the history and refunds part of it', async () => {
    // Unique names: a retry must not meet the first attempt's person, agent or listing.
    const suffix = Date.now().toString(36);
    const memberToken = await addPerson(harness, `pia-${suffix}@example.com`, `Pia ${suffix}`, 'correct horse battery pia');
    const agent = await harness.api<{ id: string }>('POST', '/agents', { name: `editor-${suffix}`, role: 'Editor' }, memberToken);
    expect(agent.status).toBe(201);
    const title = `Editor ${suffix}`;
    const listing = await harness.api<Listing>(
      'POST',
      '/marketplace/listings',
      {
        kind: 'agent',
        sourceId: agent.body.id,
        title,
        summary: 'Edits drafts',
        category: 'writing',
        pricing: { model: 'one-off', priceCredits: 300 },
      },
      memberToken,
    );
    expect(listing.status).toBe(201);

    for (const variant of [
      { name: 'light', colorScheme: 'light', width: 1440, height: 1000 },
      { name: 'phone-dark', colorScheme: 'dark', width: 390, height: 844 },
    ] as const) {
      const opened = await openSignedInPage(harness, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = opened.page;
      try {
        if (variant.name === 'light') {
          // The owner is a server administrator: the credits page offers the grant form.
          await page.goto('/settings/credits');
          await expect.poll(() => page?.title()).toBe('Credits · Mission Control');
          const grant = page.getByRole('form', { name: 'Grant credits' });
          await grant.getByLabel('Credits to grant').fill('1000');
          await grant.getByLabel('Reason').fill(`Pilot ${suffix}`);
          await grant.getByRole('button', { name: 'Grant credits' }).click();
          await page.getByText(/^Granted 1,000 credits to /).waitFor();
          await page
            .getByTestId('credit-transaction')
            .filter({ hasText: `Pilot ${suffix}` })
            .waitFor();
          await expectAccessibleAndNarrow(page);
          await harness.screenshot(page, 'credits-granted');

          // Buy the listing, confirming first, then install it.
          await page.goto(`/marketplace/listings/${listing.body.id}`);
          await page.getByRole('button', { name: 'Buy for 300 credits' }).click();
          const dialog = page.getByRole('dialog', { name: `Buy ${title}?` });
          await dialog.getByRole('button', { name: 'Confirm: buy for 300 credits' }).click();
          await page.getByText(new RegExp(`^Bought ${title} for 300 credits`)).waitFor();
          await page
            .getByRole('form', { name: `Install ${title}` })
            .getByLabel('Name prefix (optional)')
            .fill(`b${suffix}-`);
          await page.getByRole('button', { name: /^Install into / }).click();
          await page.getByTestId('installed-result').waitFor();
          await expectAccessibleAndNarrow(page);
          await harness.screenshot(page, 'credits-bought-and-installed');

          // The purchase is in the history; refund part of it.
          await page.getByRole('navigation', { name: 'Marketplace' }).getByRole('link', { name: 'Credits' }).click();
          const row = page.getByTestId('credit-transaction').filter({ hasText: '−300 credits' }).filter({ hasText: title });
          await row.getByRole('button', { name: /^Entries of / }).click();
          await page
            .getByRole('list', { name: /^Entries of / })
            .first()
            .waitFor();
          await row.getByRole('button', { name: `Refund ${title}` }).click();
          const refund = page.getByRole('dialog', { name: `Refund ${title}` });
          await refund.getByLabel('Credits to refund (optional)').fill('100');
          await refund.getByLabel('Reason for the refund').fill('Half a day lost');
          await refund.getByRole('button', { name: 'Refund', exact: true }).click();
          await page.getByText(`Refunded 100 credits of ${title}.`).waitFor();
          await page.getByTestId('credit-transaction').filter({ hasText: '+100 credits' }).filter({ hasText: 'Refund' }).first().waitFor();
          await expectAccessibleAndNarrow(page);
          await harness.screenshot(page, 'credits-history');
        } else {
          await page.goto('/settings/credits');
          await page.getByTestId('credit-transaction').first().waitFor();
          await expectAccessibleAndNarrow(page);
          await harness.screenshot(page, `credits-${variant.name}`);
          await page.goto(`/marketplace/listings/${listing.body.id}`);
          await page.getByRole('button', { name: /^Install into / }).waitFor();
          await expectAccessibleAndNarrow(page);
          await page.goto('/marketplace/mine');
          await page.getByRole('heading', { name: 'Earnings' }).waitFor();
          await expectAccessibleAndNarrow(page);
          await harness.screenshot(page, `credits-earnings-${variant.name}`);
        }
        expect(opened.errors.filter((error) => !/status of (403|404)/.test(error))).toEqual([]);
      } finally {
        await opened.context.close();
        page = undefined;
      }
    }
  }, 180_000);
});
