import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { type Harness, ownerEmail, ownerPassword, startHarness } from './harness.js';
import { startRunnerRun } from './run-fixture.js';

async function signIn(browser: Browser, baseUrl: string, options: { colorScheme: 'light' | 'dark'; width: number; height: number }) {
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    colorScheme: options.colorScheme,
    baseURL: baseUrl,
    // axe-core is injected as a script tag, which the server's Content-Security-Policy would refuse.
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(ownerEmail);
  await page.getByLabel('Password').fill(ownerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Board' }).waitFor();
  return { context, page };
}

/** Waits until the page has drawn its data: no skeleton left, no request in flight. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction('document.querySelectorAll(\'[aria-busy="true"], .skeleton\').length === 0', undefined, {
    timeout: 15_000,
  });
}

// Each test walks every page (a dozen, each drawn and checked), on a 2-core machine shared with the rest of the suite.
const pageWalkTimeout = 180_000;

describe('every page, in both themes and three widths', () => {
  let harness: Harness;
  let pages: { name: string; path: string }[];

  beforeAll(async () => {
    // The public status page is on so the walk checks it too (signed-out it looks the same).
    harness = await startHarness({ MISSION_STATUS_PAGE: '1' });
    const agent = await harness.api<{ id: string }>('POST', '/agents', { name: 'scout', role: 'researcher', capabilities: ['web'] });
    const document = await harness.api<{ id: string }>('POST', '/documents', {
      title: 'Launch plan',
      type: 'deliverable',
      content: '# Launch\n\nShip it.',
    });
    const task = await harness.api<{ key: string }>('POST', '/tasks', { title: 'Survey the market', priority: 'high' });
    const skill = await harness.api<{ id: string }>('POST', '/skills', {
      name: 'Survey a market in a day',
      description: 'When a launch needs a quick competitor scan',
      body: '1. List five competitors\n2. One paragraph each\n3. Post the table in the thread',
      capabilities: ['web'],
    });
    await harness.api('PATCH', `/skills/${skill.body.id}`, { body: '1. List five competitors\n2. One paragraph each' });
    const blocked = await harness.api<{ key: string }>('POST', '/tasks', { title: 'Waiting on the vendor' });
    await harness.api('POST', `/tasks/${blocked.body.key}/status`, { status: 'blocked' });
    await harness.api('POST', `/tasks/${task.body.key}/messages`, { content: 'First note on this task' });
    // A memory, so the agent profile's Memory section is drawn with a row.
    await harness.api('POST', `/agents/${agent.body.id}/memories`, { content: 'The market survey is due Friday', tags: ['survey'] });
    // A runner's run, so the drawer's run view, the Runs page and the agent's runners are drawn with data.
    const run = await startRunnerRun(harness, agent.body, 'Fix the login bug');
    await harness.api(
      'POST',
      `/runs/${run.runId}/steps`,
      {
        steps: [
          { kind: 'tool-call', toolName: 'Edit', arguments: { file_path: 'src/login.ts' }, result: 'no such file', isError: true },
          { kind: 'test', command: 'npm test', exitCode: 1, text: '1 failed', isError: true },
        ],
      },
      run.agentKey,
    );
    const workflow = await harness.api<{ id: string }>('POST', '/workflow-templates/research-write-review/instantiate', {});
    const gate = await harness.api<{ id: string }>('POST', '/workflows', {
      name: 'sign-off',
      description: 'One human gate.',
      steps: [{ id: 'approve', kind: 'approval', name: 'Sign off', title: 'Sign off the launch' }],
    });
    const workflowRun = await harness.api<{ id: string }>('POST', `/workflows/${workflow.body.id}/runs`, { inputs: { topic: 'cats' } });
    await harness.api('POST', `/workflows/${gate.body.id}/runs`, {});
    await harness.api('POST', '/routines', {
      name: 'Morning standup',
      schedule: '0 9 * * 1-5',
      timezone: 'Europe/Paris',
      workflowId: gate.body.id,
    });
    await harness.api('POST', '/triggers', {
      name: 'Review what is done',
      on: 'task-status-changed',
      if: "event.data.to == 'done'",
      // biome-ignore lint/suspicious/noThenProperty: `then` is the trigger's action in the contract
      then: { createTask: { title: 'Review the finished task' } },
    });
    await harness.api('POST', '/budgets', { monthlyCostLimitMicroDollars: 25_000_000 });
    // The read-only page a share link opens, drawn by the server (no sign-in needed, none in the way).
    const share = await harness.api<{ token: string }>('POST', `/documents/${document.body.id}/shares`, { expiresInDays: 7 });
    pages = [
      { name: 'command-center', path: '/' },
      { name: 'task-drawer', path: `/?task=${task.body.key}` },
      { name: 'task-drawer-run', path: `/?task=${run.taskKey}` },
      { name: 'tasks', path: '/tasks' },
      { name: 'agents', path: '/agents' },
      { name: 'agent', path: `/agents/${agent.body.id}` },
      { name: 'runs', path: '/runs' },
      { name: 'documents', path: '/documents' },
      { name: 'document', path: `/documents/${document.body.id}` },
      { name: 'shared-document', path: `/share/${share.body.token}` },
      { name: 'skills', path: '/skills' },
      { name: 'skill', path: `/skills/${skill.body.id}` },
      { name: 'working', path: '/working' },
      { name: 'inbox', path: '/notifications' },
      { name: 'integrations', path: '/settings/integrations' },
      { name: 'workspace-settings', path: '/settings/workspace' },
      { name: 'members', path: '/settings/members' },
      { name: 'roles', path: '/settings/roles' },
      { name: 'notification-preferences', path: '/notifications/preferences' },
      { name: 'workflows', path: '/workflows' },
      { name: 'workflow', path: `/workflows/${workflow.body.id}` },
      { name: 'workflow-run', path: `/workflows/runs/${workflowRun.body.id}` },
      { name: 'routines', path: '/routines' },
      { name: 'triggers', path: '/triggers' },
      { name: 'approvals', path: '/approvals' },
      { name: 'alerts', path: '/alerts' },
      { name: 'analytics', path: '/analytics' },
      { name: 'costs', path: '/costs' },
      { name: 'system', path: '/system' },
      { name: 'audit', path: '/audit' },
      { name: 'search', path: '/search?q=launch' },
      { name: 'security', path: '/security' },
      { name: 'status', path: '/status' },
    ];
  });

  afterAll(async () => {
    await harness?.close();
  });

  // Four walks: axe in both themes at desktop width, and the two narrower widths. Every walk also
  // checks that no page scrolls sideways and that the navigation reaches every page, so the
  // desktop width is checked by the axe walks instead of a fifth walk of its own.
  const walks = [
    { colorScheme: 'light', width: 1440, height: 1000, axe: true },
    { colorScheme: 'dark', width: 1440, height: 1000, axe: true },
    { colorScheme: 'light', width: 390, height: 844, axe: false },
    { colorScheme: 'light', width: 768, height: 1024, axe: false },
  ] as const;

  for (const walk of walks) {
    const checks = walk.axe ? 'has no serious or critical axe violation on any page' : 'no page scrolls sideways';
    it(
      `${checks} (${walk.colorScheme}, ${walk.width} px wide), and every page is reachable from the navigation`,
      async () => {
        const { context, page } = await signIn(harness.browser, harness.baseUrl, walk);
        const violations: string[] = [];
        const overflowing: string[] = [];
        try {
          for (const each of pages) {
            await page.goto(each.path);
            await settle(page);
            await harness.screenshot(page, `${walk.width}-${walk.colorScheme}-${each.name}`);
            const sizes = await page.evaluate<{ scroll: number; client: number }>(
              '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
            );
            if (sizes.scroll > sizes.client) overflowing.push(`${each.name}: ${sizes.scroll} > ${sizes.client}`);
            if (walk.axe) for (const line of await seriousViolations(page)) violations.push(`${each.name}: ${line}`);
          }
          if (walk.axe) {
            const login = await context.browser()?.newContext({ colorScheme: walk.colorScheme, baseURL: harness.baseUrl, bypassCSP: true });
            const loginPage = await login?.newPage();
            if (loginPage) {
              await loginPage.goto('/login');
              await loginPage.getByLabel('Email').waitFor();
              for (const line of await seriousViolations(loginPage)) violations.push(`login: ${line}`);
            }
            await login?.close();
          }
          await page.goto('/');
          await settle(page);
          const menu = page.getByRole('button', { name: 'Menu', exact: true });
          if (walk.width < 1024) await menu.click();
          else expect(await menu.isVisible()).toBe(false);
          const navigation = page.getByRole('navigation', { name: 'Main' });
          for (const label of ['Inbox', 'WORKING.md']) expect(await navigation.getByRole('link', { name: label }).isVisible()).toBe(true);
          await navigation.getByRole('link', { name: 'WORKING.md' }).click();
          await page.waitForURL(/\/working$/);
          // The page (lazy) sets its title once it has loaded, a moment after the URL changes.
          await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('WORKING.md · Mission Control');
        } finally {
          await context.close();
        }
        expect(violations).toEqual([]);
        expect(overflowing).toEqual([]);
      },
      pageWalkTimeout,
    );
  }
});
