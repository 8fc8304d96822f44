import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { type RunFixture, startRunnerRun } from './run-fixture.js';

interface Run {
  status: string;
  cancelRequestedAt: string | null;
}

describe('a runner run in the dashboard', () => {
  let harness: Harness;
  let page: Page;
  let errors: string[];
  let fixture: RunFixture;

  beforeAll(async () => {
    harness = await startHarness();
    const agent = await harness.api<{ id: string }>('POST', '/agents', { name: 'coder', role: 'developer', capabilities: ['code'] });
    fixture = await startRunnerRun(harness, agent.body, 'Fix the login bug');
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
    await harness.screenshot(page, `failed-runs-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it('shows the run live in the task drawer: a step sent by the runner appears without a reload', async () => {
    await page.goto(`/?task=${fixture.taskKey}`);
    const drawer = page.getByRole('dialog');
    const runs = drawer.getByRole('region', { name: 'Runs' });
    await runs.getByText('Reading the code first').waitFor();
    await runs.getByText('Running', { exact: true }).waitFor();
    expect(await runs.getByText('coder · claude-code on build box', { exact: false }).isVisible()).toBe(true);
    expect(await runs.getByText(`mission/${fixture.taskKey.toLowerCase()}`).isVisible()).toBe(true);

    const sent = await harness.api(
      'POST',
      `/runs/${fixture.runId}/steps`,
      {
        steps: [
          { kind: 'tool-call', toolName: 'Edit', arguments: { file_path: 'src/login.ts' }, result: 'file written', toolCallId: 't1' },
          { kind: 'test', command: 'npm test', exitCode: 1, text: '1 failed: login.test.ts', isError: true },
        ],
      },
      fixture.agentKey,
    );
    expect(sent.status).toBe(200);
    await runs.getByText('Tool Edit').waitFor();
    await runs.getByText('Tests · npm test · exit code 1').waitFor();
    await runs.getByText('1 failed: login.test.ts').waitFor();
    await harness.screenshot(page, 'runs-01-live-steps');
  });

  it('asks before stopping, then asks the runner to cancel and says so in words', async () => {
    const runs = page.getByRole('dialog').getByRole('region', { name: 'Runs' });
    await runs.getByRole('button', { name: 'Stop', exact: true }).click();
    await runs.getByRole('button', { name: 'Stop the run' }).click();
    await runs.getByText('Stop requested: the runner stops claude-code within a few seconds', { exact: false }).first().waitFor();
    await runs.getByText('Stop requested', { exact: true }).waitFor();
    expect(await runs.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(0);
    const stored = await harness.api<Run>('GET', `/runs/${fixture.runId}`);
    expect(stored.body.status).toBe('running');
    expect(stored.body.cancelRequestedAt).not.toBeNull();

    // The runner sees the request and finishes the run as cancelled: the drawer follows the event.
    const finished = await harness.api(
      'POST',
      `/runs/${fixture.runId}/finish`,
      { outcome: 'cancelled', tokensIn: 900, tokensOut: 100, costMicroDollars: 12_500, modelCalls: 2 },
      fixture.agentKey,
    );
    expect(finished.status).toBe(200);
    await runs.getByText('Cancelled', { exact: true }).waitFor();
    await runs.getByText('$0.0125').waitFor();
    await runs.getByText('1,000 tokens').waitFor();
    // The badge says how it ended; the note about waiting for the runner is gone.
    expect(await runs.getByText('Stop requested', { exact: false }).count()).toBe(0);
    await harness.screenshot(page, 'runs-02-cancelled');
  });

  it('lists the runner and the run on the Runs page, and opens the task from it', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL(/\/runs$/);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    const runner = page.getByRole('listitem', { name: 'Runner build box' });
    await runner.getByText('online', { exact: true }).waitFor();
    expect(await runner.getByText('claude-code 2.0.1, codex (version unknown)', { exact: false }).isVisible()).toBe(true);
    await page.getByLabel('Outcome').selectOption('cancelled');
    await page.getByRole('link', { name: fixture.taskKey }).click();
    await page.getByRole('dialog').getByRole('region', { name: 'Runs' }).getByText('Cancelled', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByLabel('Outcome').selectOption('failed');
    await page.getByText('No runs match these filters').waitFor();
    await harness.screenshot(page, 'runs-03-page');
    expect(errors).toEqual([]);
  });
});
