import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

interface ClaimedTask {
  task: { key: string; title: string };
  lease: { token: string };
}

describe('workflows in a real browser', () => {
  let harness: Harness;
  let page: Page;
  let errors: string[];
  let agentKey: string;

  beforeAll(async () => {
    harness = await startHarness();
    const agent = await harness.api<{ id: string }>('POST', '/agents', {
      name: 'scribe',
      role: 'writer',
      capabilities: ['research', 'writing'],
    });
    agentKey = (await harness.api<{ secret: string }>('POST', `/agents/${agent.body.id}/api-keys`, { name: 'e2e' })).body.secret;
    const opened = await harness.newPage();
    page = opened.page;
    errors = opened.errors;
    await harness.login(page);
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, 'failed-workflows').catch(() => {});
  });

  /** The agent takes the next task the engine put on the board and finishes it, as a real agent would. */
  async function finishNextTask(): Promise<string> {
    for (;;) {
      const claimed = await harness.api<ClaimedTask>('POST', '/tasks/next', undefined, agentKey);
      if (claimed.status === 200) {
        const done = await harness.api(
          'POST',
          `/tasks/${claimed.body.task.key}/status`,
          { status: 'done', leaseToken: claimed.body.lease.token },
          agentKey,
        );
        expect(done.status).toBe(200);
        return claimed.body.task.title;
      }
      // The engine creates the next task on its next tick (every second).
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const stepStatus = (stepId: string) => page.getByTestId('workflow-graph').locator(`[data-step="${stepId}"]`);

  it('creates a workflow from a template, runs it, approves its gate in the inbox and sees the run complete with the graph coloured', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    await page.getByRole('button', { name: 'New from a template' }).click();
    await page.getByRole('radio', { name: /research-write-review/ }).check();
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { name: 'research-write-review' }).waitFor();
    // The definition is drawn: every step is a node.
    for (const step of ['research', 'draft', 'gate', 'approve', 'escalate']) await stepStatus(step).waitFor();
    await harness.screenshot(page, 'workflow-definition');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByLabel('topic (required)').fill('cats');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/workflows\/runs\//);
    const runPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Run of research-write-review' }).waitFor();
    await page.locator('[data-step="research"][data-status="running"]').waitFor();

    // The graph follows the run live, from the event stream, without a reload.
    expect(await finishNextTask()).toBe('Research cats');
    await page.locator('[data-step="research"][data-status="done"]').waitFor();
    expect(await finishNextTask()).toBe('Write about cats');
    await page.locator('[data-step="approve"][data-status="waiting"]').waitFor();

    // The header counts the gate; the inbox says where it comes from in words.
    await page.getByTestId('approvals-badge').click();
    await page.waitForURL(/\/approvals$/);
    const card = page.locator('[data-approval]').first();
    await card.getByText('the research-write-review run').waitFor();
    await card.getByLabel('Comment (optional)').fill('Looks good');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing waiting for you').waitFor();
    expect(await page.getByTestId('approvals-badge').count()).toBe(0);

    await page.goto(runPath);
    await page.locator('[data-step="approve"][data-status="done"]').waitFor();
    await page.getByRole('heading', { name: 'Run of research-write-review' }).locator('..').getByText('Completed').waitFor();
    const statuses = await page
      .getByTestId('workflow-graph')
      .locator('[data-step]')
      .evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-step')}:${node.getAttribute('data-status')}`));
    expect(statuses.sort()).toEqual(['approve:done', 'draft:done', 'escalate:skipped', 'gate:done', 'research:done']);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await harness.screenshot(page, 'workflow-run-completed');
    expect(errors).toEqual([]);
  });
});
