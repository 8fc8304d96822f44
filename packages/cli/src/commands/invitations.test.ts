import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Each test runs the built CLI several times as child processes: slow on a loaded 2-core machine.
describe('mission invitations against a real server', { timeout: 90_000 }, () => {
  let server: RealServer;
  let configHome: string;
  let ownerKey: string;

  /** Runs the built binary with the owner's user API key unless the environment says otherwise. */
  const run = (args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<RunResult> =>
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
            MISSION_API_KEY: ownerKey,
            ...options.env,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) => {
          const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
          resolve({ code, stdout, stderr });
        },
      );
      child.stdin?.end(options.input ?? '');
    });

  beforeAll(async () => {
    await buildCommandLine();
    server = await startRealServer('sqlite');
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-invitations-'));
    const key = await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'cli test' } });
    ownerKey = key.json().secret;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('creates an invitation with a link, lists it, and a newcomer accepts the link with a password from stdin', async () => {
    const created = await run(['invitations', 'create', 'nova@example.com', '--role', 'viewer', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const invitation = JSON.parse(created.stdout);
    expect(invitation.acceptUrl).toBe(`${server.url}/invite/${invitation.token}`);
    expect(invitation.invitation).toMatchObject({ email: 'nova@example.com', role: 'viewer', status: 'pending' });

    const listed = await run(['invitations', 'ls']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+EMAIL\s+ROLE\s+STATUS\s+EXPIRES/);
    expect(listed.stdout).toContain('nova@example.com');
    expect(listed.stdout).not.toContain(invitation.token);

    // The link carries the server; no key, no stored login needed.
    const accepted = await run(['invitations', 'accept', invitation.acceptUrl, '--name', 'Nova Newcomer'], {
      input: 'a long enough password\n',
      env: { MISSION_URL: '', MISSION_API_KEY: '' },
    });
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('You joined Default workspace as viewer');
    const whoami = await run(['whoami', '--json'], { env: { MISSION_URL: '', MISSION_API_KEY: '' } });
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      credentialSource: 'login',
      kind: 'user',
      role: 'viewer',
      user: { name: 'Nova Newcomer' },
    });

    const again = await run(['invitations', 'accept', invitation.token], {
      input: 'a long enough password\n',
      env: { MISSION_API_KEY: '' },
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error INVITATION_ALREADY_USED: /);
    await run(['logout'], { env: { MISSION_URL: '', MISSION_API_KEY: '' } });
  });

  it('lets a signed-in person see and accept an invitation by id, and an owner revoke one', async () => {
    const otherToken = await server.createOtherWorkspaceToken();
    const outsider = await server.addMember({ email: 'olive@example.com', invitedBy: otherToken });
    expect((await run(['invitations', 'create', 'olive@example.com', '--role', 'admin'])).code).toBe(0);

    const mine = await run(['invitations', 'ls', '--mine', '--json'], { env: { MISSION_API_KEY: outsider.token } });
    expect(mine.code).toBe(0);
    const [pending] = JSON.parse(mine.stdout);
    expect(pending).toMatchObject({ role: 'admin', workspace: { name: 'Default workspace' }, invitedBy: { name: 'Owner' } });
    const accepted = await run(['invitations', 'accept', pending.id], { env: { MISSION_API_KEY: outsider.token } });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('You joined Default workspace');
    const members = await server.request({ method: 'GET', url: '/api/v1/members' });
    expect(members.json().data).toContainEqual(
      expect.objectContaining({ role: 'admin', user: expect.objectContaining({ id: outsider.id }) }),
    );

    const created = JSON.parse((await run(['invitations', 'create', 'gone@example.com', '--json'])).stdout);
    const revoked = await run(['invitations', 'revoke', created.invitation.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked the invitation of gone@example.com');
    const listed = JSON.parse((await run(['invitations', 'ls', '--status', 'revoked', '--json'])).stdout);
    expect(listed.map((invitation: { id: string }) => invitation.id)).toEqual([created.invitation.id]);
  });

  it('exits 4 when a viewer invites, and 2 on a bad role', async () => {
    const viewer = await server.addMember({ email: 'watcher@example.com', role: 'viewer' });
    const refused = await run(['invitations', 'create', 'someone@example.com'], { env: { MISSION_API_KEY: viewer.token } });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^error FORBIDDEN: /);
    const badRole = await run(['invitations', 'create', 'someone@example.com', '--role', 'owner']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of admin, member, viewer');
  });
});
