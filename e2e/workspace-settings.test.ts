import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { type Harness, ownerEmail, ownerPassword, startHarness } from './harness.js';

interface Workspace {
  name: string;
  wipLimits: Record<string, number>;
}

/** A signed-in page in a given theme and width; axe is injected, so the CSP is bypassed. */
async function signIn(browser: Browser, baseUrl: string, options: { colorScheme: 'light' | 'dark'; width: number; height: number }) {
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    colorScheme: options.colorScheme,
    baseURL: baseUrl,
    bypassCSP: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill(ownerEmail);
  await page.getByLabel('Password').fill(ownerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Board' }).waitFor();
  return { context, page, errors };
}

describe('workspace settings and WIP limits in a real browser', () => {
  let harness: Harness;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    harness = await startHarness();
    const opened = await signIn(harness.browser, harness.baseUrl, { colorScheme: 'light', width: 1440, height: 1000 });
    page = opened.page;
    errors = opened.errors;
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness
      .screenshot(page, `failed-workspace-settings-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`)
      .catch(() => {});
  });

  it('sets an In progress limit and renames the workspace from the settings page; the header follows', async () => {
    await page.getByRole('link', { name: 'Workspace', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Workspace settings' }).waitFor();
    await page.getByLabel('In progress limit').fill('1');
    await page.getByLabel('Name', { exact: true }).fill('Acme Labs');
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByText('Workspace settings saved.').waitFor();

    const stored = await harness.api<Workspace>('GET', '/workspace');
    expect(stored.body.name).toBe('Acme Labs');
    expect(stored.body.wipLimits).toEqual({ in_progress: 1 });
    await page.locator('header').getByText('Acme Labs').first().waitFor();
    await harness.screenshot(page, 'workspace-settings-light');
  });

  it('warns on the board when two tasks are in progress against a limit of 1', async () => {
    const agent = await harness.api<{ id: string }>('POST', '/agents', { name: 'builder', role: 'engineer', capabilities: ['code'] });
    for (const title of ['Build the pricing page', 'Write the launch post']) {
      const task = await harness.api<{ key: string }>('POST', '/tasks', { title });
      const assigned = await harness.api('POST', `/tasks/${task.body.key}/assign`, { assignees: [{ kind: 'agent', id: agent.body.id }] });
      expect(assigned.status).toBe(200);
      const moved = await harness.api<{ status: string }>('POST', `/tasks/${task.body.key}/status`, { status: 'in_progress' });
      expect(moved.body.status).toBe('in_progress');
    }
    await page.getByRole('link', { name: 'Command', exact: true }).first().click();
    const column = page.getByTestId('column-in_progress');
    await column.getByText('Write the launch post').waitFor();
    await page.getByTestId('over-limit-in_progress').getByText('Over limit by 1').waitFor();
    expect(await page.getByTestId('column-count-in_progress').textContent()).toBe('2 / 1');
    expect(await column.getAttribute('aria-label')).toBe('In progress column, 2 tasks, limit 1, over limit by 1');
    await harness.screenshot(page, 'workspace-board-over-limit');
    expect(errors).toEqual([]);
  });

  for (const variant of [
    { name: 'light', colorScheme: 'light', width: 1440, height: 1000 },
    { name: 'dark', colorScheme: 'dark', width: 1440, height: 1000 },
    { name: 'phone', colorScheme: 'light', width: 390, height: 844 },
    { name: 'phone-dark', colorScheme: 'dark', width: 390, height: 844 },
  ] as const) {
    it(`passes axe on the settings page and the over-limit board (${variant.name})`, async () => {
      const opened = await signIn(harness.browser, harness.baseUrl, variant);
      try {
        await opened.page.goto('/settings/workspace');
        await opened.page.getByRole('button', { name: 'Save agent settings' }).waitFor();
        await opened.page.waitForLoadState('networkidle');
        expect(await seriousViolations(opened.page)).toEqual([]);
        // A phone shows the page without scrolling sideways.
        const overflow = await opened.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow).toBe(0);
        await harness.screenshot(opened.page, `workspace-settings-${variant.name}`);

        await opened.page.goto('/');
        await opened.page.getByTestId('over-limit-in_progress').waitFor();
        await opened.page.waitForLoadState('networkidle');
        expect(await seriousViolations(opened.page)).toEqual([]);
        await harness.screenshot(opened.page, `workspace-board-${variant.name}`);
        expect(opened.errors).toEqual([]);
      } finally {
        await opened.context.close();
      }
    }, 120_000);
  }
});
