import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { type Harness, startHarness } from './harness.js';

describe('command palette in a real browser', () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;
  let taskKey: string;

  beforeAll(async () => {
    harness = await startHarness();
    const task = await harness.api<{ key: string }>('POST', '/tasks', { title: 'Calibrate the periscope' });
    taskKey = task.body.key;
    // axe-core is injected as a script tag, which the server's Content-Security-Policy would refuse.
    context = await harness.browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: harness.baseUrl, bypassCSP: true });
    page = await context.newPage();
    await harness.login(page);
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
  });

  it('opens on Control+K, finds a task by a word of its title, and Enter opens its drawer', async () => {
    await page.keyboard.press('Control+K');
    const field = page.getByRole('combobox', { name: 'Search or jump to' });
    await field.waitFor();
    // A string, so it runs in the page (with its DOM).
    expect(await page.evaluate<string | null>('document.activeElement?.getAttribute("role") ?? null')).toBe('combobox');
    await field.fill('periscope');
    const option = page.getByRole('option', { name: /Calibrate the periscope/ });
    await option.waitFor();
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await harness.screenshot(page, 'command-palette-390');
    const violations = await seriousViolations(page);
    const sizes = await page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    );
    expect(violations).toEqual([]);
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);

    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: new RegExp(`${taskKey} · Calibrate the periscope`) }).waitFor();
    expect(new URL(page.url()).searchParams.get('task')).toBeTruthy();
    expect(await field.count()).toBe(0);
  });

  it('Escape closes it, and the header button opens it for touch', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Board' }).waitFor();
    await page.getByRole('button', { name: /^Search/ }).click();
    const field = page.getByRole('combobox', { name: 'Search or jump to' });
    await field.waitFor();
    await page.keyboard.press('Escape');
    await field.waitFor({ state: 'detached' });
  });
});
