import { expect } from 'vitest';
import type { Harness } from './harness.js';

export interface Person {
  email: string;
  name: string;
  password: string;
}

/**
 * Invites someone to the workspace the inviter's token is signed in to, with a role, accepts the
 * link as a new account and signs them in; answers their token (a renter or subscriber must be an
 * admin of a workspace of their own, not a plain member of the default one).
 */
export async function invitePerson(harness: Harness, person: Person, role: 'member' | 'admin', inviterToken?: string): Promise<string> {
  const invited = await harness.api<{ token: string }>('POST', '/invitations', { email: person.email, role }, inviterToken);
  expect(invited.status).toBe(201);
  const accepted = await harness.api('POST', `/invitation-links/${invited.body.token}/accept`, {
    name: person.name,
    password: person.password,
  });
  expect(accepted.status).toBe(200);
  const login = await harness.api<{ accessToken: string }>('POST', '/auth/login', { email: person.email, password: person.password });
  expect(login.status).toBe(200);
  return login.body.accessToken;
}

/** Like openSignedInPage, signed in as someone other than the owner. */
export async function openPageAs(
  harness: Harness,
  person: Person,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark',
) {
  const context = await harness.browser.newContext({ viewport, colorScheme, baseURL: harness.baseUrl, bypassCSP: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await harness.login(page, person.email, person.password);
  return { context, page, errors };
}

/** Some Chromium builds log a refused fetch as a console error: the moderation probe's 403 is expected. */
export const unexpected = (errors: string[]) => errors.filter((error) => !/status of (403|404)/.test(error));

/** The other looks a screen is checked in, besides light on a desktop. */
export const variants = [
  { name: 'dark', colorScheme: 'dark', width: 1440, height: 1000 },
  { name: 'phone', colorScheme: 'light', width: 390, height: 844 },
  { name: 'phone-dark', colorScheme: 'dark', width: 390, height: 844 },
] as const;
