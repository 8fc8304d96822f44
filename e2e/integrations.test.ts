import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

/** What the receiver got: the body's type, and whether its Standard Webhooks signature verified. */
interface Received {
  type: string;
  verified: boolean;
}

/**
 * A webhook receiver on 127.0.0.1 and a free port that checks every delivery with the
 * `standardwebhooks` library, as any receiver would, once it is given the secret.
 */
async function startReceiver() {
  const received: Received[] = [];
  let secret: string | null = null;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
      );
      let verified = false;
      let type = 'unreadable';
      try {
        if (secret) {
          const payload = new Webhook(secret).verify(body, headers);
          verified = true;
          type = typeof payload === 'object' && payload !== null && 'type' in payload ? String(payload.type) : 'untyped';
        }
      } catch {
        verified = false;
      }
      received.push({ type, verified });
      response.writeHead(verified ? 200 : 401, { 'content-type': 'text/plain' });
      response.end(verified ? 'ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mission`,
    received,
    useSecret(value: string) {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Settings → Integrations in a real browser', () => {
  let harness: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    receiver = await startReceiver();
    // The receiver listens on loopback, which the SSRF guard refuses unless the server allows private targets.
    harness = await startHarness({ MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' });
    const opened = await harness.newPage();
    page = opened.page;
    errors = opened.errors;
    await harness.login(page);
  });

  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  it('creates a webhook to a Standard Webhooks receiver, shows the secret once, and shows the test ping delivered', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.waitForURL(/\/settings\/integrations$/);
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    expect(await page.title()).toBe('Integrations · Mission Control');

    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Description').fill('Alerts to the team receiver');
    // Only new tasks (none are made here) and pings: nothing else reaches the receiver before it has the secret.
    await form.getByLabel(/^Events/).fill('task-created');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.getByTestId('revealed-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    receiver.useSecret(secret);
    await harness.screenshot(page, 'integrations-secret-once');
    await page.getByRole('button', { name: 'I saved it' }).click();
    expect(await page.getByTestId('revealed-secret').count()).toBe(0);
    await page.reload();
    const row = page.getByTestId('webhook-row').filter({ hasText: receiver.url });
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    await row.getByRole('button', { name: 'Send test ping' }).click();
    const delivered = row.locator('[data-testid="webhook-delivery"][data-status="succeeded"]').filter({ hasText: 'ping' });
    // The server's worker sends it within a second or two; the list refreshes itself.
    await delivered.waitFor({ timeout: 20_000 });
    expect(await delivered.getByText('Succeeded').isVisible()).toBe(true);
    expect(await delivered.getByText(/#1 · .* · answered 200 · \d+ ms · “ok”/).isVisible()).toBe(true);
    await harness.screenshot(page, 'integrations-ping-delivered');
    expect(receiver.received).toEqual([{ type: 'ping', verified: true }]);
    expect(errors).toEqual([]);
  });
});
