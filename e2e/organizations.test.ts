import { createHmac } from 'node:crypto';
import type { Organization, Team } from '@mission-control/contracts';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { expectAccessibleAndNarrow, openSignedInPage } from './page-checks.js';

/** The six-digit code an authenticator app shows now for a base32 secret (RFC 6238: SHA-1, 30-second steps). */
function totpCode(secret: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const character of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(character).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = (digest.at(-1) ?? 0) & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Invites someone to the default workspace and accepts the link as a new account; answers their user id. */
async function addPerson(harness: Harness, email: string, name: string, password: string): Promise<string> {
  const invited = await harness.api<{ token: string }>('POST', '/invitations', { email, role: 'member' });
  expect(invited.status).toBe(201);
  const accepted = await harness.api<{ user: { id: string } }>('POST', `/invitation-links/${invited.body.token}/accept`, {
    name,
    password,
  });
  expect(accepted.status).toBe(200);
  return accepted.body.user.id;
}

/** Some Chromium builds log a refused fetch as a console error: the refusals a test provokes on purpose are not the page's errors. */
const unexpected = (errors: string[], statuses: number[]) =>
  errors.filter((error) => !statuses.some((status) => error.includes(`status of ${status}`)));

describe('the organisation and its teams in a real browser', () => {
  let harness: Harness;
  let page: Page | undefined;
  let organizationId: string;
  let researchId: string;
  let novaId: string;
  let agentId: string;
  const novaPassword = 'correct horse battery nova';

  beforeAll(async () => {
    // Eleven sign-ins (and a retry's) in a minute from one address: the browser tests check the pages, not the sign-in limit.
    harness = await startHarness({ MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const agent = await harness.api<{ id: string }>('POST', '/agents', { name: 'scout', role: 'researcher', capabilities: ['web'] });
    agentId = agent.body.id;
    const research = await harness.api<{ id: string }>('POST', '/workspaces', { name: 'Research', taskKeyPrefix: 'RES' });
    expect(research.status).toBe(201);
    researchId = research.body.id;
    novaId = await addPerson(harness, 'nova@example.com', 'Nova Newcomer', novaPassword);
    const organizations = await harness.api<{ data: Organization[] }>('GET', '/organizations');
    organizationId = organizations.body.data[0]?.id ?? '';
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, `failed-organizations-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  const teams = async () => (await harness.api<{ data: Team[] }>('GET', `/organizations/${organizationId}/teams`)).body.data;

  /** A retry starts over: no agent limit, no teams, Nova a plain member of the organisation. */
  async function forgetEarlierAttempt(): Promise<void> {
    await harness.api('PATCH', `/organizations/${organizationId}`, { limits: { maxAgents: null } });
    await harness.api('PATCH', `/organizations/${organizationId}/members/${novaId}`, { role: 'member' });
    for (const team of await teams()) await harness.api('DELETE', `/organizations/${organizationId}/teams/${team.id}`);
  }

  it('shows the default organisation with its limits, sets an agent limit, and runs a team from creation to deletion', async () => {
    await forgetEarlierAttempt();
    const opened = await openSignedInPage(harness, { width: 1440, height: 1000 });
    page = opened.page;
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organisation', exact: true }).click();
      await page.getByRole('heading', { name: 'Organisation', level: 1 }).waitFor();
      await expect.poll(() => page?.title()).toBe('Organisation · Mission Control');
      await page.getByRole('heading', { name: 'Default organization', level: 2 }).waitFor();
      await page.getByText('You are owner of this organisation.').waitFor();
      const limits = page.getByTestId('organization-limits');
      await limits.getByText('Agents: 1 · No limit').waitFor();
      await limits.getByText('Workspaces: 2 · No limit').waitFor();
      await limits.getByText('Model tokens this month: 0 · No limit').waitFor();
      await limits.getByText('Model cost this month: $0.00 · No limit').waitFor();
      await page.getByTestId('password-sign-in').getByText('On', { exact: false }).waitFor();

      // A limit that is not a number is said on its field, before anything is sent.
      const form = page.getByRole('form', { name: 'Organisation settings' });
      await form.getByLabel('Agents', { exact: true }).fill('ten');
      await form.getByRole('button', { name: 'Save organisation' }).click();
      await form.getByText('Type a whole number from 0 to 100,000, or leave it empty for no limit.').waitFor();
      await form.getByLabel('Agents', { exact: true }).fill('10');
      await form.getByRole('button', { name: 'Save organisation' }).click();
      await page.getByText('Organisation settings saved.').waitFor();
      await limits.getByText('Agents: 1 of 10').waitFor();
      const saved = await harness.api<Organization>('GET', `/organizations/${organizationId}`);
      expect(saved.body.limits).toMatchObject({ maxAgents: 10, maxWorkspaces: null });

      // Password sign-in cannot be turned off without single sign-on: the server's 409 is said on the toggle.
      await form.getByLabel('Password sign-in').uncheck();
      await form.getByRole('button', { name: 'Save organisation' }).click();
      await form.getByText(/^Single sign-on is not set up, for the organisation or on this server/).waitFor();
      await form.getByLabel('Password sign-in').check();

      // Its people, with their organisation role and second factor; the owner makes Nova an admin.
      const nova = page.getByTestId('organization-person').filter({ hasText: 'nova@example.com' });
      await nova.getByText('No second factor yet').waitFor();
      await nova.getByLabel('Organisation role of Nova Newcomer').selectOption('admin');
      await page.getByText('Nova Newcomer is now admin of the organisation.').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'organization');

      // Teams: create one, add a person and an agent, give it a role on a workspace, take the agent out, delete it.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams', exact: true }).click();
      await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor();
      await expect.poll(() => page?.title()).toBe('Teams · Mission Control');
      await page.getByText('No teams yet').waitFor();
      await page.getByRole('button', { name: '+ New team' }).click();
      const newTeam = page.getByRole('form', { name: 'New team' });
      await newTeam.getByRole('button', { name: 'Create team' }).click();
      await newTeam.getByText('Give the team a name.').waitFor();
      await newTeam.getByLabel('Name', { exact: true }).fill('Platform');
      await newTeam.getByLabel('Description (optional)').fill('Keeps the lights on.');
      await newTeam.getByRole('button', { name: 'Create team' }).click();
      await page.getByText('Created the team Platform.').waitFor();
      const card = page.getByTestId('team-card').filter({ hasText: 'Platform' });
      await card.getByText('Keeps the lights on.').waitFor();

      await card.getByLabel('Person or agent to add to Platform').selectOption({ label: 'Nova Newcomer (nova@example.com)' });
      await card.getByRole('button', { name: 'Add to team' }).click();
      await card.getByTestId('team-member').filter({ hasText: 'Nova Newcomer' }).waitFor();
      await card.getByLabel('Person or agent to add to Platform').selectOption({ label: 'scout (agent, researcher)' });
      await card.getByRole('button', { name: 'Add to team' }).click();
      const scout = card.getByTestId('team-member').filter({ hasText: 'scout' });
      await scout.getByText('agent', { exact: true }).waitFor();

      await card.getByLabel('Workspace for Platform').selectOption({ label: 'Research' });
      await card.getByLabel('Role of Platform there').selectOption('viewer');
      await card.getByRole('button', { name: 'Give access' }).click();
      await page.getByText('Platform is now viewer on Research.').waitFor();
      await card.getByTestId('team-workspace').filter({ hasText: 'Research' }).getByText('as Viewer').waitFor();
      await card.getByText('2 members · 1 workspace').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'teams');

      const [platform] = await teams();
      expect(platform).toMatchObject({
        name: 'Platform',
        description: 'Keeps the lights on.',
        members: [
          { kind: 'user', id: novaId, name: 'Nova Newcomer' },
          { kind: 'agent', id: agentId, name: 'scout' },
        ],
        workspaces: [{ workspaceId: researchId, workspaceName: 'Research', role: 'viewer', customRole: null }],
      });
      // Through the team, Nova is now a viewer of Research.
      const inResearch = await harness.api<{ role: string }>('POST', '/auth/login', {
        email: 'nova@example.com',
        password: novaPassword,
        workspaceId: researchId,
      });
      expect(inResearch).toMatchObject({ status: 200, body: { role: 'viewer' } });

      await card.getByRole('button', { name: 'Remove scout from Platform' }).click();
      await page.getByText('Took scout out of Platform.').waitFor();
      await expect.poll(() => scout.count()).toBe(0);

      await card.getByRole('button', { name: 'Delete Platform' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete the team Platform?' });
      await dialog.getByText(/^Its one person loses what the team gave them/).waitFor();
      await expectAccessibleAndNarrow(page);
      await dialog.getByRole('button', { name: 'Delete Platform' }).click();
      await page.getByText('Deleted the team Platform.').waitFor();
      await page.getByText('No teams yet').waitFor();
      expect(await teams()).toEqual([]);
      expect(unexpected(opened.errors, [409])).toEqual([]);
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
    it(`passes axe on the organisation and teams pages without scrolling sideways (${variant.name})`, async () => {
      // A team with a person, an agent and a workspace, so every part of a card is drawn.
      if (!(await teams()).some((team) => team.name === 'Support')) {
        const created = await harness.api<Team>('POST', `/organizations/${organizationId}/teams`, {
          name: 'Support',
          description: 'Answers.',
        });
        const teamUrl = `/organizations/${organizationId}/teams/${created.body.id}`;
        await harness.api('POST', `${teamUrl}/members`, { kind: 'user', id: novaId });
        await harness.api('POST', `${teamUrl}/members`, { kind: 'agent', id: agentId });
        await harness.api('PUT', `${teamUrl}/workspaces/${researchId}`, { role: 'member' });
      }
      const opened = await openSignedInPage(harness, { width: variant.width, height: variant.height }, variant.colorScheme);
      page = opened.page;
      try {
        await page.goto('/settings/organization');
        await page.getByTestId('organization-limits').getByText('Agents: 1 of 10').waitFor();
        await page.getByTestId('organization-person').filter({ hasText: 'nova@example.com' }).waitFor();
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `organization-${variant.name}`);

        await page.goto('/settings/teams');
        const card = page.getByTestId('team-card').filter({ hasText: 'Support' });
        await card.getByTestId('team-workspace').filter({ hasText: 'Research' }).waitFor();
        const box = await card.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= variant.width).toBe(true);
        await expectAccessibleAndNarrow(page);
        await harness.screenshot(page, `teams-${variant.name}`);
        expect(opened.errors).toEqual([]);
      } finally {
        await opened.context.close();
        page = undefined;
      }
    }, 120_000);
  }

  // Last: the owner ends with a second factor, which the sign-in of the tests above does not enter.
  it('sends someone whose organisation requires a second factor to set one up after signing in, then lets them carry on', async () => {
    const status = await harness.api<{ totpEnabled: boolean }>('GET', '/auth/mfa');
    if (!status.body.totpEnabled) {
      // The owner has one, so the requirement does not stop them (nor this test's API calls).
      const begun = await harness.api<{ secret: string }>('POST', '/auth/mfa/totp');
      const confirmed = await harness.api('POST', '/auth/mfa/totp/confirm', { code: totpCode(begun.body.secret) });
      expect(confirmed.status).toBe(200);
    }
    // Someone new each attempt: a retry finds the earlier one enrolled.
    const email = `mila-${Date.now()}@example.com`;
    const password = 'correct horse battery mila';
    await addPerson(harness, email, 'Mila Mfa', password);
    expect((await harness.api('PATCH', `/organizations/${organizationId}`, { mfaRequired: true })).status).toBe(200);

    const context = await harness.browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: harness.baseUrl, bypassCSP: true });
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    try {
      await page.goto('/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/security$/);
      await page.getByText('Your organisation requires a second factor. Set one up to continue.').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'mfa-enrolment-required');

      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
      const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
      await page.getByLabel('Code', { exact: true }).fill(totpCode(secret));
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByRole('list', { name: 'Recovery codes' }).waitFor();
      await expect.poll(() => page?.getByText('Your organisation requires a second factor.', { exact: false }).count()).toBe(0);
      await page.getByRole('link', { name: 'Continue where you were' }).click();
      await page.getByRole('heading', { name: 'Board' }).waitFor();
      expect(unexpected(errors, [403])).toEqual([]);
    } finally {
      await context.close();
      page = undefined;
      await harness.api('PATCH', `/organizations/${organizationId}`, { mfaRequired: false });
    }
  });
});
