import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dragTo, type Harness, startHarness } from './harness.js';

interface Task {
  id: string;
  key: string;
  status: string;
}

describe('dashboard in a real browser', () => {
  let harness: Harness;
  let page: Page;
  let errors: string[];
  let agent: { id: string; name: string };
  let agentKey: string;

  beforeAll(async () => {
    harness = await startHarness();
    const created = await harness.api<{ id: string; name: string }>('POST', '/agents', {
      name: 'scout',
      role: 'researcher',
      capabilities: ['web-research'],
    });
    agent = created.body;
    const key = await harness.api<{ secret: string }>('POST', `/agents/${agent.id}/api-keys`, { name: 'e2e' });
    agentKey = key.body.secret;
    const opened = await harness.newPage();
    page = opened.page;
    errors = opened.errors;
  });

  afterAll(async () => {
    await harness?.close();
  });

  // A failed browser test leaves the page as it was, for whoever reads the CI log.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    await harness.screenshot(page, `failed-${name}`).catch(() => {});
  });

  it('sends a visitor to the login page and back to the command center after signing in', async () => {
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await harness.screenshot(page, '01-login');
    await page.getByLabel('Email').fill('owner@example.com');
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Board' }).waitFor();
    await page.getByTestId('agent-bar').getByText('scout').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    // The refused password logged a 401 on purpose; from here on the console must stay clean.
    errors.length = 0;
  });

  it('creates a task and drags it from inbox to assigned, asking who takes it', async () => {
    await page.getByRole('button', { name: '+ New task' }).first().click();
    await page.getByLabel('Title').fill('Survey the competition');
    await page.getByRole('button', { name: 'Create task' }).click();
    const card = page.getByTestId('column-inbox').locator('[data-task-key]', { hasText: 'Survey the competition' });
    await card.waitFor();
    const key = await card.getAttribute('data-task-key');
    expect(key).toMatch(/^TASK-\d+$/);

    await dragTo(page, `[data-testid="task-card-${key}"]`, '[data-testid="column-assigned"]');
    const dialog = page.getByRole('dialog', { name: `Who takes ${key}?` });
    await dialog.waitFor();
    await harness.screenshot(page, '03-assign-dialog');
    await dialog.getByLabel(/scout/).check();
    await dialog.getByRole('button', { name: 'Assign and move' }).click();
    await page.getByTestId('column-assigned').getByTestId(`task-card-${key}`).waitFor();

    const stored = await harness.api<Task>('GET', `/tasks/${key}`);
    expect(stored.body.status).toBe('assigned');
  });

  it('refuses a move the workflow forbids and puts the card back', async () => {
    const created = await harness.api<Task>('POST', '/tasks', { title: 'Cannot skip review' });
    // Live updates have their own test; this one reloads so it does not depend on them.
    await page.reload();
    const card = page.getByTestId('column-inbox').getByTestId(`task-card-${created.body.key}`);
    await card.waitFor();
    await dragTo(page, `[data-testid="task-card-${created.body.key}"]`, '[data-testid="column-done"]');
    await page.getByText(`${created.body.key} cannot move from Inbox to Done.`).waitFor();
    await card.waitFor();
  });

  it('shows a task an agent creates through the API on the open board without a reload', async () => {
    await page.getByTestId('connection-indicator').and(page.locator('[data-state="live"]')).waitFor();
    const created = await harness.api<Task>('POST', '/tasks', { title: 'Filed by the scout agent', priority: 'urgent' }, agentKey);
    expect(created.status).toBe(201);
    await page.getByTestId('column-inbox').getByTestId(`task-card-${created.body.key}`).waitFor({ timeout: 10_000 });
    // And a status change by the agent moves the card on its own.
    await harness.api('POST', `/tasks/${created.body.key}/assign`, { assignees: [{ kind: 'agent', id: agent.id }] }, agentKey);
    await page.getByTestId('column-assigned').getByTestId(`task-card-${created.body.key}`).waitFor({ timeout: 10_000 });
    await page.getByTestId('activity-feed').getByText(`${created.body.key} created`).waitFor();
    await harness.screenshot(page, '02-command-center');
  });

  it('posts a message with an @mention and the mentioned person sees the notification arrive', async () => {
    // Riley joins the way everyone does: the owner invites the email, Riley opens the link.
    const invitation = await harness.api<{ acceptUrl: string }>('POST', '/invitations', { email: 'riley@example.com', role: 'member' });
    expect(invitation.status).toBe(201);
    const task = await harness.api<Task>('POST', '/tasks', { title: 'Needs a second pair of eyes' });

    const riley = await harness.newPage();
    await riley.page.goto(invitation.body.acceptUrl);
    await riley.page.getByTestId('invitation-summary').getByText('Owner invited riley@example.com as member').waitFor();
    await riley.page.getByLabel('Your name').fill('Riley Reviewer');
    await riley.page.getByLabel('Choose a password').fill('correct horse battery riley');
    await harness.screenshot(riley.page, '04a-invitation');
    await riley.page.getByRole('button', { name: 'Join Default workspace' }).click();
    await riley.page.getByRole('heading', { name: 'Board' }).waitFor();
    expect(new URL(riley.page.url()).pathname).toBe('/');
    await riley.page
      .getByTestId('unread-count')
      .and(riley.page.getByText('0', { exact: true }))
      .waitFor();

    await page.goto(`/?task=${task.body.key}`);
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('heading', { name: new RegExp(task.body.key) }).waitFor();
    const editor = drawer.getByRole('combobox', { name: /Message/ });
    await editor.click();
    await editor.pressSequentially('Please review this @ril');
    await drawer.getByRole('option', { name: /@riley/ }).waitFor();
    await editor.press('Enter');
    await expect.poll(() => editor.inputValue()).toBe('Please review this @riley ');
    await editor.pressSequentially('when you can.');
    await drawer.getByRole('button', { name: 'Post' }).click();
    await drawer.getByTestId('message').getByText('Please review this @riley when you can.').waitFor();
    // The mention stands out in the posted message, and says whom it tells (defect 10).
    await drawer
      .getByTestId('message')
      .locator('.mention', { hasText: '@riley' })
      .and(drawer.getByTitle('Mentions Riley Reviewer, person'))
      .waitFor();
    await harness.screenshot(page, '04-task-drawer');

    await riley.page
      .getByTestId('unread-count')
      .and(riley.page.getByText('1', { exact: true }))
      .waitFor({ timeout: 10_000 });
    await riley.page.getByTestId('notification-bell').click();
    await riley.page
      .getByTestId('notification-list')
      .getByText(/mentioned you/)
      .waitFor();
    await harness.screenshot(riley.page, '05-notifications');
    expect(riley.errors).toEqual([]);
    await riley.context.close();
  });

  it('renders agent markdown inert: raw HTML as text and javascript: links without a target', async () => {
    const task = await harness.api<Task>('POST', '/tasks', { title: 'Hostile input' });
    const hostile = 'Look <img src=x onerror=alert(1)> here and [x](javascript:alert(1)) and [safe](https://example.com)';
    const posted = await harness.api('POST', `/tasks/${task.body.key}/messages`, { content: hostile }, agentKey);
    expect(posted.status).toBe(201);
    await page.goto(`/?task=${task.body.key}`);
    const message = page.getByRole('dialog').getByTestId('message').first();
    await message.getByText('<img src=x onerror=alert(1)>', { exact: false }).waitFor();
    expect(await message.locator('img').count()).toBe(0);
    const hrefs = await message.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs).toEqual(['https://example.com']);
    await message.getByText('x', { exact: true }).click();
    expect(errors.filter((error) => error.includes('dialog'))).toEqual([]);
  });

  it('edits a document and shows the diff between two versions', async () => {
    const created = await harness.api<{ id: string }>('POST', '/documents', {
      title: 'Launch plan',
      content: '# Launch\n\n- write the brief\n- pick a date\n',
      type: 'deliverable',
    });
    expect(created.status).toBe(201);
    await page.goto(`/documents/${created.body.id}`);
    const editor = page.getByLabel('Markdown');
    await editor.waitFor();
    await editor.fill('# Launch\n\n- write the brief\n- pick a launch date\n- tell the squad\n');
    await page.getByTestId('document-preview').getByText('tell the squad').waitFor();
    await harness.screenshot(page, '06-document-editor');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByText('version 2', { exact: false }).first().waitFor();

    await page.getByRole('tab', { name: 'History' }).click();
    const diff = page.getByTestId('version-diff');
    await diff.waitFor();
    await diff.getByText('v1 → v2').waitFor();
    expect(await diff.locator('[data-diff="removed"]').allTextContents()).toEqual([expect.stringContaining('- pick a date')]);
    expect(await diff.locator('[data-diff="added"]').allTextContents()).toEqual([
      expect.stringContaining('- pick a launch date'),
      expect.stringContaining('- tell the squad'),
    ]);
    await harness.screenshot(page, '07-document-diff');
  });

  it('shows the other pages without errors', async () => {
    await page.goto('/agents');
    await page.getByRole('cell', { name: 'scout' }).waitFor();
    await harness.screenshot(page, '08-agents');
    await page.goto(`/agents/${agent.id}`);
    await page.getByRole('heading', { name: 'scout', exact: true }).waitFor();
    await harness.screenshot(page, '09-agent-profile');
    await page.goto('/tasks');
    await page.getByRole('cell', { name: 'Survey the competition' }).waitFor();
    await harness.screenshot(page, '10-tasks');
    await page.goto('/documents');
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByRole('link', { name: 'Launch plan' }).or(page.getByRole('alert')).waitFor();
    await harness.screenshot(page, '11-documents');
    await page.goto('/working');
    await page.getByRole('heading', { name: 'WORKING.md' }).waitFor();
    await harness.screenshot(page, '12-working');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Board' }).waitFor();
    await page.getByTestId('board').locator('[data-task-key]').first().waitFor();
    await harness.screenshot(page, '13-command-center-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await harness.screenshot(page, '14-command-center-phone');
    // A 404 from an endpoint that has not landed yet shows as an error state, not as a broken page.
    expect(errors.filter((error) => !error.includes('404'))).toEqual([]);
  });

  it('says in plain words when its code cannot load, and a reload recovers', async () => {
    // No service worker: it would answer the chunks from its cache, around the routes below.
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, serviceWorkers: 'block' });
    const fresh = await context.newPage();
    try {
      // The app's own chunk fails, as when the server was updated or restarted since the tab opened.
      const appChunk = /\/assets\/app-[^/]+\.js$/;
      await fresh.route(appChunk, (route) => route.abort('connectionreset'));
      await fresh.goto('/');
      await fresh.getByRole('heading', { name: 'Mission Control could not load' }).waitFor();
      await harness.screenshot(fresh, '15-app-could-not-load');
      await fresh.unroute(appChunk);
      await fresh.getByRole('button', { name: 'Reload' }).click();
      await fresh.waitForURL(/\/login/);
      await harness.login(fresh);

      // A page's chunk fails: the page says so inside the shell, and the navigation still works.
      await fresh.route(/\/assets\/documents-page-[^/]+\.js$/, (route) => route.abort('connectionreset'));
      await fresh.goto('/documents');
      await fresh.getByRole('heading', { name: 'This page could not load' }).waitFor();
      await fresh.getByRole('navigation').first().getByRole('link', { name: 'Agents' }).click();
      await fresh.getByRole('heading', { name: 'Agents' }).first().waitFor();
    } finally {
      await context.close();
    }
  });
});
