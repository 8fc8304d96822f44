import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { expectAccessibleAndNarrow, openSignedInPage } from './page-checks.js';

describe('API keys with an allowed address, rotated, in a real browser', () => {
  let harness: Harness;
  let agent: { id: string };
  let page: Page | undefined;

  beforeAll(async () => {
    harness = await startHarness();
    agent = (await harness.api<{ id: string }>('POST', '/agents', { name: 'courier', role: 'deliveries', capabilities: [] })).body;
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await harness.screenshot(page, `failed-api-keys-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
  });

  it("creates an agent's key that works only from 127.0.0.1, then rotates it with an hour of grace", async () => {
    const opened = await openSignedInPage(harness, { width: 1440, height: 1000 });
    page = opened.page;
    try {
      await page.goto(`/agents/${agent.id}`);
      const panel = page.getByRole('region', { name: 'API keys' });
      await panel.getByRole('button', { name: '+ New key' }).click();
      await panel.getByLabel('Name', { exact: true }).fill('deploy');
      // A wrong address is said on its field, before anything is sent (and the message passes axe's contrast check).
      await panel.getByLabel('Allowed addresses (optional)').fill('127.0.0.1/33');
      await panel.getByRole('button', { name: 'Create key' }).click();
      await panel.getByText(/“127\.0\.0\.1\/33” is not an address or a range/).waitFor();
      await expectAccessibleAndNarrow(page);
      await panel.getByLabel('Allowed addresses (optional)').fill('127.0.0.1');
      await panel.getByLabel('Requests per minute (optional)').fill('600');
      await panel.getByRole('button', { name: 'Create key' }).click();
      const first = (await panel.getByTestId('api-key-secret').textContent()) ?? '';
      expect(first).toMatch(/^mc_/);
      await panel.getByText('only from 127.0.0.1 · 600 requests/min').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'api-keys-agent-created');

      // The key works from this address (the tests call from 127.0.0.1), and the list says so.
      const me = await harness.api<{ kind: string }>('GET', '/auth/me', undefined, first);
      expect(me).toMatchObject({ status: 200, body: { kind: 'agent' } });
      await page.getByRole('button', { name: 'Done, I stored the key' }).click();
      await page.reload();
      await panel.getByText('used just now from 127.0.0.1').waitFor();

      await panel.getByRole('button', { name: /^Rotate deploy/ }).click();
      await panel.getByLabel('1 hour').check();
      await expectAccessibleAndNarrow(page);
      await panel.getByRole('button', { name: 'Rotate key' }).click();
      await panel.getByText(/^The old key keeps working until/).waitFor();
      const second = (await panel.getByTestId('api-key-secret').textContent()) ?? '';
      expect(second).not.toBe(first);
      await panel.getByText(/^expires in (1 hour|60 minutes) \(rotated\)$/).waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'api-keys-agent-rotated');

      // In the grace period both keys work; the new one keeps the address list.
      expect((await harness.api('GET', '/auth/me', undefined, first)).status).toBe(200);
      expect((await harness.api('GET', '/auth/me', undefined, second)).status).toBe(200);
      const keys = await harness.api<{ data: { allowedIps: string[] | null; replacedById: string | null }[] }>(
        'GET',
        `/agents/${agent.id}/api-keys`,
      );
      expect(keys.body.data.map((key) => key.allowedIps)).toEqual([['127.0.0.1'], ['127.0.0.1']]);
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  });

  it('creates a personal key on the security page of a 390 px phone (dark), and rotating it at once stops the old key', async () => {
    const opened = await openSignedInPage(harness, { width: 390, height: 844 }, 'dark');
    page = opened.page;
    try {
      await page.goto('/security');
      const panel = page.getByRole('region', { name: 'Your API keys' });
      await panel.getByRole('button', { name: '+ New key' }).click();
      await panel.getByLabel('Name', { exact: true }).fill('backup-script');
      await panel.getByLabel('Allowed addresses (optional)').fill('127.0.0.1\n10.1.0.0/16');
      await panel.getByRole('button', { name: 'Create key' }).click();
      const first = (await panel.getByTestId('api-key-secret').textContent()) ?? '';
      await panel.getByText('only from 127.0.0.1, 10.1.0.0/16').waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'api-keys-personal-phone');
      expect(await harness.api('GET', '/auth/me', undefined, first)).toMatchObject({ status: 200, body: { kind: 'user' } });

      await panel.getByRole('button', { name: /^Rotate backup-script/ }).click();
      await panel.getByLabel('Stop the old key now').check();
      await panel.getByRole('button', { name: 'Rotate key' }).click();
      await panel.getByText('The old key stopped working just now.').waitFor();
      const second = (await panel.getByTestId('api-key-secret').textContent()) ?? '';
      await panel.getByText(/^revoked .* \(rotated\)$/).waitFor();
      await expectAccessibleAndNarrow(page);
      await harness.screenshot(page, 'api-keys-personal-phone-rotated');

      expect((await harness.api('GET', '/auth/me', undefined, first)).status).toBe(401);
      expect((await harness.api('GET', '/auth/me', undefined, second)).status).toBe(200);
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.context.close();
      page = undefined;
    }
  });
});
