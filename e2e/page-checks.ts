import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from './axe.js';
import type { Harness } from './harness.js';

/**
 * A signed-in page in a theme and a width, collecting the page's errors. axe is injected as a
 * script tag, so the server's Content-Security-Policy is bypassed.
 */
export async function openSignedInPage(
  harness: Harness,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
) {
  const context = await harness.browser.newContext({ viewport, colorScheme, baseURL: harness.baseUrl, bypassCSP: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await harness.login(page);
  return { context, page, errors };
}

/** No serious or critical axe violation, and nothing wider than the window (a phone never scrolls sideways). */
export async function expectAccessibleAndNarrow(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await seriousViolations(page)).toEqual([]);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBe(0);
}
