import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCommandLine, describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { createRepository, isAlive, removeRepositories, runsOfTask, testEnvironment, waitFor } from './test/runner-harness.js';

const missionBinary = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

describeEachEngine('mission runner shutdown', (engine) => {
  let server: RealServer;
  let owner: MissionControl;

  beforeAll(async () => {
    await buildCommandLine();
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    removeRepositories();
  });

  it('on SIGTERM kills the running CLI, records its run cancelled and releases the lease at once; mission runs lists and shows it', async () => {
    const repository = createRepository();
    const { agent, apiKey } = await server.createAgentWithKey();
    const task = await owner.tasks.create({ title: 'Long work', description: 'fake:hang', assignees: [{ kind: 'agent', id: agent.id }] });
    const configDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-runner-config-'));
    const child = spawn(
      process.execPath,
      [missionBinary, 'runner', '--agent', agent.name, '--adapter', 'claude-code', '--workdir', repository, '--poll', '200ms'],
      {
        env: { ...testEnvironment(), MISSION_URL: server.url, MISSION_API_KEY: apiKey, XDG_CONFIG_HOME: configDirectory },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const pidFile = path.join(repository, '.mission', 'fake-pids', `${task.key}.json`);
    const pids = await waitFor(
      async () => (fs.existsSync(pidFile) ? (JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { cli: number; child: number }) : undefined),
      'the CLI to start',
    ).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`);
    });
    expect((await owner.tasks.get(task.id)).lease).not.toBeNull();

    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
    const released = await owner.tasks.get(task.id);
    expect(released).toMatchObject({ status: 'assigned', lease: null });
    const [run] = await runsOfTask(owner, task.id);
    expect(run).toMatchObject({ status: 'cancelled', error: 'the runner is shutting down' });
    expect(isAlive(pids.cli)).toBe(false);
    expect(isAlive(pids.child)).toBe(false);
    expect(output).toContain('SIGTERM: stopping the runner');

    // The run as `mission runs` shows it, with the owner's credential.
    const mission = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [missionBinary, ...args],
          {
            env: {
              PATH: process.env.PATH ?? '',
              XDG_CONFIG_HOME: configDirectory,
              MISSION_URL: server.url,
              MISSION_API_KEY: server.ownerToken,
            },
          },
          (error, stdout, stderr) =>
            resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr }),
        );
      });
    const listed = await mission('runs', 'ls', '--task', task.key, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string; status: string }[]).map((item) => [item.id, item.status])).toEqual([
      [run?.id, 'cancelled'],
    ]);
    const shown = await mission('runs', 'show', run?.id ?? '');
    expect(shown.stdout).toMatch(/Status:\s+cancelled/);
    expect(shown.stdout).toMatch(/Adapter:\s+claude-code/);
    const cancelAgain = await mission('runs', 'cancel', run?.id ?? '');
    expect(cancelAgain.code).toBe(5);
    expect(cancelAgain.stderr).toContain('error RUN_ALREADY_FINISHED');
    fs.rmSync(configDirectory, { recursive: true, force: true });
  });
});
