import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

describe('mission alerts against a real server', () => {
  let server: RealServer;
  let configHome: string;
  let ownerKey: string;

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
            MISSION_API_KEY: ownerKey,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) => resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    await buildCommandLine();
    server = await startRealServer('sqlite');
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-alerts-'));
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'cli test' } })).json().secret;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('lists the open alerts, acknowledges and resolves one, and refuses an unknown status with a usage error', async () => {
    const { agent } = await server.createAgentWithKey({ name: 'Spender' });
    const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await server.database.db
      .insertInto('agent_runs')
      .values({
        id: randomUUID(),
        workspace_id: server.workspaceId,
        agent_id: agent.id,
        task_id: null,
        trigger: 'schedule',
        status: 'completed',
        provider: 'openai',
        model: 'gpt-a',
        prompt: '[]',
        output: '',
        tokens_in: 1,
        tokens_out: 1,
        cost_micro_dollars: 5_000_000,
        model_calls: 1,
        duration_ms: 1,
        error: null,
        started_at: startedAt,
        finished_at: startedAt,
        test_result: 'null',
      })
      .execute();
    expect((await server.services.alerts.runDetector()).raised).toBe(1);

    const listed = await run(['alerts', 'ls', '--json']);
    expect(listed.stderr).toBe('');
    const alerts = JSON.parse(listed.stdout) as { id: string; kind: string }[];
    expect(alerts.map((alert) => alert.kind)).toEqual(['cost-spike']);
    const table = await run(['alerts', 'ls']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+RAISED\s+KIND\s+ABOUT\s+STATUS\s+SUMMARY/);

    const acknowledged = await run(['alerts', 'ack', alerts[0]?.id ?? '']);
    expect(acknowledged.code).toBe(0);
    expect(acknowledged.stdout).toContain('now acknowledged');
    const resolved = await run(['alerts', 'resolve', alerts[0]?.id ?? '', '--json']);
    expect(JSON.parse(resolved.stdout).status).toBe('resolved');

    const refused = await run(['alerts', 'ls', '--status', 'sleeping']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--status');
  }, 120_000);
});
