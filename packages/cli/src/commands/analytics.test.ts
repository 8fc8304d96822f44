import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

describe('mission analytics and mission audit against a real server', () => {
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
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-analytics-'));
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'cli test' } })).json().secret;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('prints the overview and the audit trail, and refuses an unknown action with a usage error', async () => {
    const overview = await run(['analytics', 'overview', '--time-zone', 'Europe/Paris']);
    expect(overview.stderr).toBe('');
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/^Tasks: 0 \(inbox 0/);
    expect(overview.stdout).toContain('Today (Europe/Paris)');

    const listed = await run(['audit', 'ls', '--action', 'api-key.created', '--json']);
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['api-key.created']);

    const table = await run(['audit', 'ls']);
    expect(table.stdout.split('\n')[0]).toMatch(/^AT\s+ACTION\s+ACTOR\s+SUMMARY\s+IP/);

    const refused = await run(['audit', 'ls', '--action', 'nothing']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--action');
  });
});
