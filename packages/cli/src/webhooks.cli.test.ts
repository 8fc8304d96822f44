import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCommandLine,
  type HttpReceiver,
  type RealServer,
  startHttpReceiver,
  startRealServer,
} from '../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('mission webhooks against a real server', () => {
  let server: RealServer;
  let receiver: HttpReceiver;
  let configHome: string;

  const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [binary, ...args],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: configHome,
            XDG_CONFIG_HOME: configHome,
            MISSION_URL: server.url,
            MISSION_API_KEY: server.ownerToken,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) => resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    await buildCommandLine();
    server = await startRealServer('sqlite', { integrations: { allowPrivateTargets: true } });
    receiver = await startHttpReceiver(() => ({ status: 503, body: 'down for maintenance' }));
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-webhooks-'));
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('creates an endpoint showing the secret once, lists it, shows failed deliveries and replays the dead-letter queue', async () => {
    const created = await run(['webhooks', 'create', receiver.url, '--events', 'task-created', '--description', 'from the CLI']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Signing secret \(shown once.*\): whsec_/);
    const listed = await run(['webhooks', 'ls', '--json']);
    const [webhook] = JSON.parse(listed.stdout) as { id: string; url: string; events: string[] }[];
    expect(webhook).toMatchObject({ url: receiver.url, events: ['task-created'] });
    expect(listed.stdout).not.toContain('whsec_');

    const badEvents = await run(['webhooks', 'create', receiver.url, '--events', 'task-teleported']);
    expect(badEvents.code).toBe(2);
    expect(badEvents.stderr).toContain('is not an event type');

    await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Watched by a webhook' } });
    await server.services.integrationsWorker.tick();
    const failed = await run(['webhooks', 'deliveries', webhook?.id ?? '', '--status', 'failed']);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toContain('task-created');
    expect(failed.stdout).toContain('503');

    const nothingDead = await run(['webhooks', 'replay', webhook?.id ?? '', '--dead']);
    expect(nothingDead.stdout).toContain('Queued 0 dead deliveries again.');
    const usage = await run(['webhooks', 'replay', webhook?.id ?? '']);
    expect(usage.code).toBe(2);
    const [delivery] = JSON.parse((await run(['webhooks', 'deliveries', webhook?.id ?? '', '--json'])).stdout) as { id: string }[];
    const replayed = await run(['webhooks', 'replay', webhook?.id ?? '', delivery?.id ?? '']);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(`Queued delivery ${delivery?.id} (task-created) again.`);
    const missing = await run(['webhooks', 'deliveries', '0190a0b0-0000-7000-8000-000000000000']);
    expect(missing.code).toBe(3);
    // Ten processes of the command line, each loading Node afresh: on a busy machine that is past the default 30 s.
  }, 180_000);
});
