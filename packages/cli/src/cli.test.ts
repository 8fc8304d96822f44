import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the mission binary against a real server', () => {
  let server: RealServer;
  let owner: MissionControl;
  let configHome: string;
  let agent: { id: string; name: string };
  let apiKey: string;

  /** Runs the built binary as a child process (asynchronously: the server lives in this process). */
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
            MISSION_API_KEY: apiKey,
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
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-cli-'));
    ({ agent, apiKey } = await server.createAgentWithKey({ capabilities: ['writing'] }));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(configHome, { recursive: true, force: true });
  });

  it('prints help with examples and exit codes, and exits 2 on a usage error', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('mission tasks next');
    const tasksHelp = await run(['tasks', 'status', '--help']);
    expect(tasksHelp.stdout).toContain('Examples:');

    const unknown = await run(['tasks', 'fly']);
    expect(unknown.code).toBe(2);
    const badStatus = await run(['tasks', 'status', 'TASK-1', 'finished']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('status must be one of');
  });

  it('lets a newcomer take the next task, post to its thread and finish it, moving the board', async () => {
    const task = await owner.tasks.create({
      title: 'Write the launch post',
      priority: 'high',
      assignees: [{ kind: 'agent', id: agent.id }],
    });

    const next = await run(['tasks', 'next', '--json']);
    expect(next.code).toBe(0);
    const claimed = JSON.parse(next.stdout);
    expect(claimed.task.key).toBe(task.key);
    expect(claimed.lease.holder.id).toBe(agent.id);

    const posted = await run(['messages', 'post', task.key, 'Draft is up,', 'please review']);
    expect(posted.code).toBe(0);
    const fromStdin = await run(['messages', 'post', task.key, '-', '--type', 'status_update'], { input: 'Second thoughts\n' });
    expect(fromStdin.code).toBe(0);

    // No --lease-token: the CLI presents the token of the claim it made.
    const done = await run(['tasks', 'status', task.key, 'done', '--reason', 'shipped']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`${task.key} is now done`);

    const stored = await owner.tasks.get(task.id);
    expect(stored.status).toBe('done');
    const thread = await owner.messages.list(task.id).toArray();
    expect(thread.map((message) => message.content)).toEqual(['Draft is up, please review', 'Second thoughts']);
    expect(thread[1]?.type).toBe('status_update');

    const nothing = await run(['tasks', 'next']);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('Nothing is waiting');
  });

  it('prints tables by default and JSON with --json', async () => {
    await owner.tasks.create({ title: 'Table row' });
    const table = await run(['tasks', 'ls', '--status', 'inbox']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^KEY\s+STATUS\s+PRIORITY\s+TITLE/);
    expect(table.stdout).toContain('Table row');
    const json = await run(['tasks', 'ls', '--status', 'inbox', '--json']);
    expect(JSON.parse(json.stdout).some((task: { title: string }) => task.title === 'Table row')).toBe(true);
    const beat = await run(['heartbeat', '--json', '--status', 'active']);
    expect(beat.code).toBe(0);
    expect(JSON.parse(beat.stdout).agent.id).toBe(agent.id);
  });

  it('prints server errors in one line with a meaningful exit code', async () => {
    const missing = await run(['tasks', 'show', 'TASK-9999']);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim()).toMatch(/^error TASK_NOT_FOUND: .+$/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const task = await owner.tasks.create({ title: 'Contended' });
    const other = await server.createAgentWithKey();
    await new MissionControl({ baseUrl: server.url, apiKey: other.apiKey }).tasks.claim(task.key);
    const conflict = await run(['tasks', 'claim', task.key]);
    expect(conflict.code).toBe(5);
    expect(conflict.stderr).toMatch(/^error TASK_ALREADY_CLAIMED: /);

    const badKey = await run(['tasks', 'ls'], { env: { MISSION_API_KEY: 'mc_wrong' } });
    expect(badKey.code).toBe(4);
    const unreachable = await run(['tasks', 'ls'], { env: { MISSION_URL: 'http://127.0.0.1:9' } });
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toMatch(/^error NETWORK_ERROR: Could not reach/);
  });

  it('stores a login in a 0600 file and uses it when the environment says nothing', async () => {
    const login = await run(['login', '--url', server.url, '--api-key', apiKey], { env: { MISSION_URL: '', MISSION_API_KEY: '' } });
    expect(login.code).toBe(0);
    const file = path.join(configHome, 'mission', 'config.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const whoami = await run(['whoami', '--json'], { env: { MISSION_URL: '', MISSION_API_KEY: '' } });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ credentialSource: 'login', kind: 'agent' });
    // A flag beats the stored login.
    const flagged = await run(['whoami', '--api-key', 'mc_wrong'], { env: { MISSION_URL: '', MISSION_API_KEY: '' } });
    expect(flagged.code).toBe(4);
    await run(['logout'], { env: { MISSION_URL: '', MISSION_API_KEY: '' } });
  });

  it('edits WORKING.md from stdin or $EDITOR with If-Match, and refuses to overwrite a newer version', async () => {
    const fromStdin = await run(['working', 'edit', '--notes-file', '-', '--json'], { input: 'Focus: launch\n' });
    expect(fromStdin.code).toBe(0);
    const version = JSON.parse(fromStdin.stdout).version;
    expect((await owner.workingState.get()).notes).toBe('Focus: launch\n');

    const edited = await run(['working', 'edit'], { env: { EDITOR: 'sed -i s/launch/landing/' } });
    expect(edited.code).toBe(0);
    const state = await owner.workingState.get();
    expect(state.notes).toBe('Focus: landing\n');
    expect(state.version).toBe(version + 1);

    // An "editor" during whose session someone else saves the notes.
    const script = path.join(configHome, 'racing-editor.mjs');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
const file = process.argv[2];
fs.writeFileSync(file, 'mine\\n');
const current = await (await fetch('${server.url}/api/v1/state/working-md', { headers: { authorization: 'Bearer ${server.ownerToken}' } })).json();
await fetch('${server.url}/api/v1/state/working-md', { method: 'PUT', headers: { authorization: 'Bearer ${server.ownerToken}', 'content-type': 'application/json', 'if-match': String(current.version) }, body: JSON.stringify({ notes: 'theirs\\n' }) });
`,
    );
    const raced = await run(['working', 'edit'], { env: { EDITOR: `${process.execPath} ${script}` } });
    expect(raced.code).toBe(5);
    expect(raced.stderr).toContain('Someone changed WORKING.md while you edited it');
    expect((await owner.workingState.get()).notes).toBe('theirs\n');

    const stale = await run(['working', 'edit', '--notes-file', '-', '--base-version', String(version)], { input: 'late\n' });
    expect(stale.code).toBe(5);

    const show = await run(['working', 'show', '--notes']);
    expect(show.stdout).toBe('theirs\n');
  });

  it('tails events as JSON lines, reconnecting after a dropped socket without duplicates', async () => {
    const child: ChildProcess = spawn(process.execPath, [binary, 'tail', '--json'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: configHome,
        XDG_CONFIG_HOME: configHome,
        MISSION_URL: server.url,
        MISSION_API_KEY: apiKey,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const events = () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { seq: number; type: string; summary: string });
    try {
      await expect.poll(() => stderr, { timeout: 10_000 }).toContain('live');
      await owner.tasks.create({ title: 'tail one' });
      await expect.poll(() => events().some((event) => event.summary.includes('tail one')), { timeout: 10_000 }).toBe(true);

      server.dropSockets();
      await owner.tasks.create({ title: 'tail two' });
      await expect.poll(() => events().some((event) => event.summary.includes('tail two')), { timeout: 15_000 }).toBe(true);
      expect(stderr).toContain('reconnecting');

      const seqs = events().map((event) => event.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(events().filter((event) => event.summary.includes('tail two'))).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
  });
});
