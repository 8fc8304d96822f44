import type { CustomRole, Member } from '@mission-control/contracts';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { expectAccessibleAndNarrow, openSignedInPage } from './page-checks.js';

/** A retry starts over: Nova leaves the workspace (her account stays) and the role goes. */
async function forgetEarlierAttempt(harness: Harness): Promise<void> {
  const members = await harness.api<{ data: Member[] }>('GET', '/members');
  const nova = members.body.data.find((member) => member.user.email === 'nova@example.com');
  if (nova) await harness.api('DELETE', `/members/${nova.user.id}`);
  const roles = await harness.api<{ data: CustomRole[] }>('GET', '/roles');
  for (const role of roles.body.data) await harness.api('DELETE', `/roles/${role.id}`);
}

describe('custom roles and members in a real browser', () => {
  let harness: Harness;
  let page: Page | undefined;
  const novaPassword = 'correct horse battery nova';

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, `failed-members-roles-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it('creates a custom role, invites a person, gives them the role on the members page, and the role narrows what they can do', async () => {
    await forgetEarlierAttempt(harness);
    const opened = await openSignedInPage(harness, { width: 1440, height: 1000 });
    page = opened.page;
    try {
      // The roles page is reachable from the navigation, like the other settings pages.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles', exact: true }).click();
      await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
      await expect.poll(() => page?.title()).toBe('Roles · Mission Control');
      await page.getByText('Reads everything, changes nothing.').waitFor();

      await page.getByRole('button', { name: '+ New role' }).click();
      const form = page.getByRole('form', { name: 'New role' });
      // Nothing chosen yet: said on the fields, before anything is sent.
      await form.getByRole('button', { name: 'Create role' }).click();
      await form.getByText('Give the role a name.').waitFor();
      await form.getByText('Pick at least one permission: a role without any could do nothing.').waitFor();
      await form.getByLabel('Name', { exact: true }).fill('Triage');
      await form.getByLabel('Description (optional)').fill('Sorts the inbox and comments; changes nothing else.');
      await form.getByLabel('Member', { exact: true }).check();
      for (const permission of ['tasks.read', 'tasks.write', 'messages.read', 'messages.write']) {
        await form.getByLabel(permission, { exact: true }).check();
      }
      await form.getByText('4 permissions chosen.', { exact: false }).waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'roles-new-role');
      await form.getByRole('button', { name: 'Create role' }).click();
      const card = page.getByTestId('custom-role').filter({ hasText: 'Triage' });
      await card.getByText('Nobody holds it · 4 permissions').waitFor();

      const roles = await harness.api<{ data: CustomRole[] }>('GET', '/roles');
      const triage = roles.body.data.find((role) => role.name === 'Triage');
      expect(triage).toMatchObject({
        baseRole: 'member',
        permissions: ['messages.read', 'messages.write', 'tasks.read', 'tasks.write'],
        memberCount: 0,
      });

      // The owner invites Nova on the members page; Nova accepts the link (through the API, as a new account).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members', exact: true }).click();
      await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
      await expect.poll(() => page?.title()).toBe('Members · Mission Control');
      const invite = page.getByRole('region', { name: 'Invite people' });
      await invite.getByLabel('Email', { exact: true }).fill('nova@example.com');
      await invite.getByLabel('Role', { exact: true }).selectOption('member');
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      const link = (await invite.getByTestId('revealed-secret').textContent()) ?? '';
      expect(link).toMatch(/\/invite\/mc_inv_/);
      await invite.getByTestId('sent-invitation').filter({ hasText: 'nova@example.com' }).waitFor();
      const token = new URL(link).pathname.split('/').pop() ?? '';
      const accepted = await harness.api<{ accessToken: string }>('POST', `/invitation-links/${token}/accept`, {
        name: 'Nova Newcomer',
        password: novaPassword,
      });
      expect(accepted.status).toBe(200);
      await invite.getByRole('button', { name: 'I saved it' }).click();

      // The new member appears by the live event; the owner gives her the custom role, which applies at once.
      const row = page.getByTestId('member-row').filter({ hasText: 'nova@example.com' });
      await row.getByText('Nova Newcomer', { exact: true }).waitFor({ timeout: 10_000 });
      await row.getByText(/^Joined (just now|\d+ seconds ago)$/).waitFor();
      await row.getByLabel('Role of Nova Newcomer').selectOption({ label: 'Triage · narrows member' });
      await page.getByText('Nova Newcomer is now Triage · narrows member.').waitFor();
      await expect
        .poll(() => row.getByLabel('Role of Nova Newcomer').locator('option:checked').textContent())
        .toBe('Triage · narrows member');
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'members-custom-role');

      const members = await harness.api<{ data: Member[] }>('GET', '/members');
      expect(members.body.data.find((member) => member.user.email === 'nova@example.com')).toMatchObject({
        role: 'member',
        customRole: { id: triage?.id, name: 'Triage' },
      });
      // The role narrows her: tasks yes, agents no.
      const nova = await harness.api<{ accessToken: string }>('POST', '/auth/login', { email: 'nova@example.com', password: novaPassword });
      expect((await harness.api('GET', '/tasks', undefined, nova.body.accessToken)).status).toBe(200);
      expect(await harness.api('GET', '/agents', undefined, nova.body.accessToken)).toMatchObject({
        status: 403,
        body: { error: { code: 'ROLE_PERMISSION_MISSING' } },
      });

      // The roles page counts her, and will not delete a role someone holds.
      await page.getByRole('link', { name: 'Roles', exact: true }).first().click();
      await card.getByText('1 member holds it · 4 permissions').waitFor();
      await card.getByRole('button', { name: 'Delete Triage' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete the role Triage?' });
      await dialog.getByText('1 member holds this role: give them another role first.').waitFor();
      expect(await dialog.getByRole('button', { name: 'Delete Triage' }).count()).toBe(0);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  });

  for (const variant of [
    { name: 'light', colorScheme: 'light', width: 1440, height: 1000 },
    { name: 'dark', colorScheme: 'dark', width: 1440, height: 1000 },
    { name: 'phone', colorScheme: 'light', width: 390, height: 844 },
    { name: 'phone-dark', colorScheme: 'dark', width: 390, height: 844 },
  ] as const) {
    it(`passes axe on the members and roles pages, with the role form open, without scrolling sideways (${variant.name})`, async () => {
      const opened = await openSignedInPage(harness, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = opened.page;
      try {
        await page.goto('/settings/members');
        const row = page.getByTestId('member-row').filter({ hasText: 'nova@example.com' });
        await row.getByLabel('Role of Nova Newcomer').waitFor();
        expect(await row.getByLabel('Role of Nova Newcomer').locator('option:checked').textContent()).toBe('Triage · narrows member');
        // A card per member, as wide as the page at most: nothing is cut off on a phone.
        const box = await row.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= variant.width).toBe(true);
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `members-${variant.name}`);

        await page.goto('/settings/roles');
        await page.getByTestId('custom-role').filter({ hasText: 'Triage' }).getByText('1 member holds it').waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `roles-${variant.name}`);
        // The permission checklist is the widest part: it fits too.
        await page.getByRole('button', { name: 'Edit Triage' }).click();
        await page.getByRole('form', { name: 'Edit Triage' }).getByLabel('tasks.write', { exact: true }).waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `roles-edit-${variant.name}`);
        expect(opened.errors).toEqual([]);
      } finally {
        await opened.context.close();
        page = undefined;
      }
    }, 120_000);
  }
});
