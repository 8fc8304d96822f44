import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type GithubPeer, type RealServer, startGithubPeer, startRealServer } from '../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const token = 'ghp_cli_test_token_0123456789';

describe('mission github against a real server and a local GitHub', () => {
  let server: RealServer;
  let peer: GithubPeer;
  let configHome: string;

  const run = (args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = execFile(
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
      child.stdin?.end(stdin);
    });

  beforeAll(async () => {
    await buildCommandLine();
    peer = await startGithubPeer({ owner: 'octo-org', repo: 'widgets', token });
    server = await startRealServer('sqlite', { integrations: { allowPrivateTargets: true, githubApiUrl: peer.url } });
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-github-'));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await peer?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('connects with the token from stdin, lists without it and syncs a labelled issue into a task', async () => {
    const connected = await run(
      ['github', 'connect', 'octo-org/widgets', '--label', 'mission', '--capabilities', 'frontend=react'],
      `${token}\n`,
    );
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stdout).toMatch(/Webhook secret \(shown once.*\): [0-9a-f]{64}/);
    expect(connected.stdout).not.toContain(token);
    const listed = await run(['github', 'ls', '--json']);
    const [connection] = JSON.parse(listed.stdout) as { id: string; label: string; capabilityMapping: Record<string, string> }[];
    expect(connection).toMatchObject({ label: 'mission', capabilityMapping: { frontend: 'react' } });
    expect(listed.stdout).not.toContain(token);

    peer.addIssue({ title: 'Imported by the CLI', labels: ['mission', 'frontend'] });
    const synced = await run(['github', 'sync', connection?.id ?? '']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('Imported 1 issue(s)');
    const again = await run(['github', 'sync', connection?.id ?? '']);
    expect(again.stdout).toContain('Nothing changed on GitHub since the last sync.');
    const table = await run(['github', 'ls']);
    expect(table.stdout).toContain('octo-org/widgets');

    const noToken = await run(['github', 'connect', 'octo-org/other']);
    expect(noToken.code).toBe(2);
    const badRepository = await run(['github', 'connect', 'widgets'], token);
    expect(badRepository.code).toBe(2);
    const missing = await run(['github', 'sync', '0190a0b0-0000-7000-8000-000000000000']);
    expect(missing.code).toBe(3);
    // Eight CLI processes one after another: each start takes seconds on a loaded 2-core machine.
  }, 120_000);
});
