import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ownerEmail, startHarness } from './harness.js';
import { type FrontDoor, type OidcPeer, startFrontDoor, startOidcPeer } from './oidc-peer.js';
import { expectAccessibleAndNarrow } from './page-checks.js';

const desktop = { width: 1440, height: 1000 };
const phone = { width: 390, height: 844 };

/** A fresh browser (no session), with axe allowed past the CSP, collecting the page's errors. */
async function openPage(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ viewport: desktop, baseURL, bypassCSP: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { context, page, errors };
}

/** Some Chromium builds log a refused fetch as a console error: the refusals a test provokes on purpose are not the page's errors. */
const unexpected = (errors: string[], statuses: number[]) =>
  errors.filter((error) => !statuses.some((status) => error.includes(`status of ${status}`)));

/** Checks axe and sideways scrolling at desktop width and on a phone, with a screenshot of each. */
async function expectAccessibleOnDesktopAndPhone(harness: Harness, page: Page, name: string): Promise<void> {
  await expectAccessibleAndNarrow(page);
  await harness.screenshot(page, `${name}-desktop`);
  await page.setViewportSize(phone);
  try {
    await expectAccessibleAndNarrow(page);
    await harness.screenshot(page, `${name}-phone`);
  } finally {
    await page.setViewportSize(desktop);
  }
}

/** Signs out from the account menu in the header, and waits for the login page. */
async function signOut(page: Page, name: string): Promise<void> {
  const account = page.getByRole('button', { name: `${name} (account menu)` });
  // A retry may find the page signed out already, where the attempt before failed half way.
  if (!(await account.isVisible()) && new URL(page.url()).pathname === '/login') return;
  await account.click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await page.getByLabel('Email').waitFor();
}

/**
 * Every request of the public sign-in routes counts against 20 a minute per address: each password,
 * code and token refresh, an invitation accepted, single sign-on, and the login page's list of
 * providers each time it opens. These tests sign in a dozen times a minute from 127.0.0.1, so they
 * raise it, as the harness raises the per-user budget (http/rate-limits.test.ts checks the limit).
 */
const signInBudget = { MISSION_LOGIN_RATE_LIMIT_PER_MINUTE: '10000' };

const stepSeconds = 30;
const currentStep = () => Math.floor(Date.now() / 1000 / stepSeconds);

/**
 * The two-factor sign-in of one person in a real browser: enrolment on the Security page, then a
 * sign-in with a code and one with a recovery code. The tests follow each other, as a person would.
 */
describe('two-factor sign-in in a real browser', () => {
  let harness: Harness;
  let page: Page | undefined;
  let context: BrowserContext | undefined;
  let errors: string[] = [];
  // A retry starts over with a new person: the one before may be half enrolled.
  let attempt = 0;
  let person = { email: '', name: 'Mira Multifactor', password: 'correct horse battery mira' };
  let secret = '';
  let recoveryCodes: string[] = [];
  // Recovery codes work once: a retry of a test must take the ones not used yet.
  let recoveryCodesUsed = 0;
  // The last time step whose code the server accepted: it refuses that step again, and any before it.
  let lastUsedStep = 0;

  /**
   * A code the server takes now: of the current step, or the next one (within its tolerance of
   * one step either way) when the current one is used already; waits when even that is used.
   */
  async function freshCode(): Promise<string> {
    let step = Math.max(lastUsedStep + 1, currentStep());
    while (step > currentStep() + 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
    step = Math.max(lastUsedStep + 1, currentStep());
    lastUsedStep = step;
    return generate({ secret, epoch: step * stepSeconds });
  }

  async function signInWithPassword(target: Page): Promise<void> {
    await target.goto('/login');
    await target.getByLabel('Email').fill(person.email);
    await target.getByLabel('Password').fill(person.password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByText('Enter the six-digit code from your authenticator app.').waitFor();
  }

  beforeAll(async () => {
    harness = await startHarness(signInBudget);
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
  });

  afterEach(async (test) => {
    if (test.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, `failed-identity-mfa-${test.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it('turns on an authenticator app on the Security page: scan or type the key, confirm with a code, keep ten recovery codes', async () => {
    attempt += 1;
    person = { ...person, email: `mira-${attempt}@example.com` };
    lastUsedStep = 0;
    const invited = await harness.api<{ token: string }>('POST', '/invitations', { email: person.email, role: 'member' });
    expect(invited.status).toBe(201);
    const accepted = await harness.api('POST', `/invitation-links/${invited.body.token}/accept`, {
      name: person.name,
      password: person.password,
    });
    expect(accepted.status).toBe(200);

    await context?.close();
    const opened = await openPage(harness.browser, harness.baseUrl);
    ({ context, page, errors } = opened);
    const current = opened.page;
    await harness.login(current, person.email, person.password);

    await current.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security', exact: true }).click();
    await current.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    const panel = current.getByRole('region', { name: 'Two-factor sign-in' });
    await panel.getByText('Off: sign-in asks for your password only.').waitFor();
    await panel.getByRole('button', { name: 'Set up an authenticator app' }).click();

    // The QR code is drawn in the browser; the same key is written out for typing.
    await panel.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    secret = ((await panel.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectAccessibleOnDesktopAndPhone(harness, current, 'mfa-enrolment');

    // A wrong code is refused on the form, which stays for another try.
    await panel.getByLabel('Code', { exact: true }).fill(await generate({ secret, epoch: (currentStep() - 20) * stepSeconds }));
    await panel.getByRole('button', { name: 'Turn on' }).click();
    await panel.getByRole('alert').getByText('That code is wrong, expired or was used already.', { exact: false }).waitFor();

    await panel.getByLabel('Code', { exact: true }).fill(await freshCode());
    await panel.getByRole('button', { name: 'Turn on' }).click();
    await panel.getByText('On: sign-in asks for a code from your authenticator app. 10 recovery codes left.').waitFor();
    await panel.getByText('Your recovery codes. Store them now: they are never shown again.').waitFor();
    const list = panel.getByRole('list', { name: 'Recovery codes' });
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/);
    expect(await panel.getByRole('alert').count()).toBe(0);
    await expectAccessibleOnDesktopAndPhone(harness, current, 'mfa-recovery-codes');

    // The server agrees: the password alone now answers a challenge, not tokens.
    const passwordOnly = await harness.api('POST', '/auth/login', { email: person.email, password: person.password });
    expect(passwordOnly).toMatchObject({ status: 200, body: { mfaRequired: true, challengeToken: expect.stringMatching(/^mc_mfa_/) } });
    expect(passwordOnly.body).not.toHaveProperty('accessToken');
    expect(unexpected(errors, [400])).toEqual([]);
  });

  it('asks for a code after the password, refuses a used one, and signs in with a fresh one', async () => {
    expect(secret, 'enrolment ran first').not.toBe('');
    const current = page as Page;
    await signOut(current, person.name);
    errors.length = 0;

    await signInWithPassword(current);
    const code = current.getByLabel('Code', { exact: true });
    await code.waitFor();
    expect(await current.getByLabel('Password').count()).toBe(0);
    await expectAccessibleOnDesktopAndPhone(harness, current, 'mfa-code-step');

    // The code that turned MFA on was used: the server says so, and the step stays for another code.
    await code.fill(await generate({ secret, epoch: lastUsedStep * stepSeconds }));
    await current.getByRole('button', { name: 'Verify' }).click();
    await current.getByRole('alert').getByText('That code is wrong, expired or was used already.', { exact: false }).waitFor();
    expect(await code.inputValue()).toBe('');
    await expectAccessibleAndNarrow(current);

    await code.fill(await freshCode());
    await current.getByRole('button', { name: 'Verify' }).click();
    await current.getByRole('heading', { name: 'Board' }).waitFor();
    expect(new URL(current.url()).pathname).toBe('/');
    await current.getByRole('button', { name: `${person.name} (account menu)` }).waitFor();
    expect(unexpected(errors, [400])).toEqual([]);
    // A retry needs a code of a step later still, which may mean waiting for the next 30 seconds.
  }, 120_000);

  it('signs in with a recovery code instead of the app, which works once only', async () => {
    expect(recoveryCodes, 'enrolment ran first').toHaveLength(10);
    const current = page as Page;
    await signOut(current, person.name);
    errors.length = 0;
    const recoveryCode = recoveryCodes[recoveryCodesUsed] ?? '';

    await signInWithPassword(current);
    await current.getByRole('button', { name: 'Use a recovery code' }).click();
    await current.getByText('Enter one of your recovery codes.').waitFor();
    await current.getByLabel('Recovery code').fill(recoveryCode);
    await expectAccessibleOnDesktopAndPhone(harness, current, 'mfa-recovery-code-step');
    await current.getByRole('button', { name: 'Verify' }).click();
    await current.getByRole('heading', { name: 'Board' }).waitFor();
    recoveryCodesUsed += 1;

    // One code fewer, on the Security page.
    await current.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security', exact: true }).click();
    await current
      .getByRole('region', { name: 'Two-factor sign-in' })
      .getByText(`On: sign-in asks for a code from your authenticator app. ${10 - recoveryCodesUsed} recovery codes left.`)
      .waitFor();

    // The same recovery code again: refused. The way back to the app's code is there, and another recovery code works.
    await signOut(current, person.name);
    await signInWithPassword(current);
    await current.getByRole('button', { name: 'Use a recovery code' }).click();
    await current.getByLabel('Recovery code').fill(recoveryCode);
    await current.getByRole('button', { name: 'Verify' }).click();
    await current.getByRole('alert').getByText('That code is wrong, expired or was used already.', { exact: false }).waitFor();
    await current.getByRole('button', { name: 'Use the authenticator app' }).click();
    await current.getByText('Enter the six-digit code from your authenticator app.').waitFor();
    expect(await current.getByRole('alert').count()).toBe(0);
    await current.getByRole('button', { name: 'Use a recovery code' }).click();
    await current.getByLabel('Recovery code').fill(recoveryCodes[recoveryCodesUsed] ?? '');
    await current.getByRole('button', { name: 'Verify' }).click();
    await current.getByRole('heading', { name: 'Board' }).waitFor();
    recoveryCodesUsed += 1;
    await current.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security', exact: true }).click();
    await current
      .getByRole('region', { name: 'Two-factor sign-in' })
      .getByText(`On: sign-in asks for a code from your authenticator app. ${10 - recoveryCodesUsed} recovery codes left.`)
      .waitFor();
    // 401: requests of the signed-out session still in flight on a slow machine; 400: the refused code.
    expect(unexpected(errors, [400, 401])).toEqual([]);
  });
});

/**
 * Single sign-on through a real OpenID Connect provider on this machine: the login page offers it,
 * the browser goes there and back, and the person lands signed in.
 */
describe('single sign-on with a local OpenID Connect provider in a real browser', () => {
  let harness: Harness;
  let peer: OidcPeer;
  let frontDoor: FrontDoor;
  let page: Page | undefined;

  beforeAll(async () => {
    // The callback the provider allows must be known before the server starts: the front door's address.
    frontDoor = await startFrontDoor();
    peer = await startOidcPeer({ redirectUri: `${frontDoor.url}/api/v1/auth/oidc/callback` });
    harness = await startHarness({
      MISSION_PUBLIC_URL: frontDoor.url,
      MISSION_OIDC_ISSUER: peer.issuer,
      MISSION_OIDC_CLIENT_ID: peer.clientId,
      MISSION_OIDC_CLIENT_SECRET: peer.clientSecret,
      MISSION_OIDC_PROVIDER_NAME: 'Local IdP',
      MISSION_OIDC_ALLOWED_DOMAINS: 'example.com',
      ...signInBudget,
    });
    frontDoor.forwardTo(harness.baseUrl);
  });

  afterAll(async () => {
    await harness?.close();
    await frontDoor?.close();
    await peer?.close();
  });

  afterEach(async (test) => {
    if (test.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, `failed-identity-sso-${test.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it('offers “Sign in with Local IdP” on the login page, goes to the provider and back, and lands signed in as the owner', async () => {
    const providers = await harness.api('GET', '/auth/providers');
    expect(providers.body).toEqual({ password: true, oidc: [{ id: 'oidc', name: 'Local IdP', startUrl: '/api/v1/auth/oidc/start' }] });
    peer.signInAs({ sub: 'owner-at-local-idp', email: ownerEmail, email_verified: true, name: 'Owner at the IdP' });
    const opened = await openPage(harness.browser, frontDoor.url);
    page = opened.page;
    try {
      const visited: string[] = [];
      page.on('request', (request) => {
        if (request.isNavigationRequest()) visited.push(request.url());
      });
      await page.goto('/');
      await page.waitForURL(/\/login/);
      const button = page.getByRole('link', { name: 'Sign in with Local IdP' });
      await button.waitFor();
      await page.getByText('or with your email and password').waitFor();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await expectAccessibleOnDesktopAndPhone(harness, page, 'sso-login');

      const interactionsBefore = peer.finishedInteractions;
      await button.click();
      await page.getByRole('heading', { name: 'Board' }).waitFor();
      // It went to the provider (an interaction finished there) and back through the callback.
      expect(peer.finishedInteractions).toBe(interactionsBefore + 1);
      expect(visited.some((url) => url.startsWith(`${peer.issuer}/auth`))).toBe(true);
      expect(visited.some((url) => url.startsWith(`${frontDoor.url}/api/v1/auth/oidc/callback?`))).toBe(true);
      // The one-time code is not left in the address.
      expect(new URL(page.url()).pathname).toBe('/');
      expect(page.url()).not.toContain('oidcCode');

      // Linked to the existing owner by the verified email: the header shows who is signed in.
      const account = page.getByRole('button', { name: 'Owner (account menu)' });
      await account.click();
      await page.getByRole('menu').getByText(`${ownerEmail} · owner`).waitFor();
      await harness.screenshot(page, 'sso-signed-in');
      await page.keyboard.press('Escape');
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  });

  it('brings a signed-out visitor back to the page they asked for after signing in with the provider', async () => {
    const opened = await openPage(harness.browser, frontDoor.url);
    page = opened.page;
    try {
      await page.goto('/security');
      await page.waitForURL(/\/login\?next=%2Fsecurity/);
      await page.getByRole('link', { name: 'Sign in with Local IdP' }).click();
      await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/security');
      await page.getByRole('button', { name: 'Owner (account menu)' }).waitFor();
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  });
});
