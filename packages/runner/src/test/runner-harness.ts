// Test support for the runner: git repositories in temporary directories, fake agent CLIs on the
// PATH, runners with quick intervals, and waiting for the server to show a state.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentRun, Task } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { MissionRunner } from '../runner.js';
import { type RunnerAgentOptions, type RunnerOptions, runnerDefaults } from '../runner-options.js';

/** The directory of the fake `claude`, `codex`, `gemini` and `opencode`. */
export const fakeCliDirectory = fileURLToPath(new URL('./fake-clis/', import.meta.url));

const gitIdentity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git in a directory and answers its output. */
export function gitIn(directory: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: directory, env: { ...process.env, ...gitIdentity }, encoding: 'utf8' }).trim();
}

const createdRepositories: string[] = [];

/** A fresh repository with one commit on main (removed by removeRepositories). */
export function createRepository(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-runner-repo-'));
  createdRepositories.push(directory);
  gitIn(directory, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(directory, 'README.md'), '# App\n');
  gitIn(directory, 'add', '-A');
  gitIn(directory, 'commit', '-q', '-m', 'initial commit');
  return directory;
}

/** Deletes every repository the tests made. */
export function removeRepositories(): void {
  for (const directory of createdRepositories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
}

/** The environment a test runner starts with: the fake CLIs first on the PATH. */
export function testEnvironment(): Record<string, string | undefined> {
  return { PATH: `${fakeCliDirectory}${path.delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME, TMPDIR: os.tmpdir() };
}

/** A runner with the test's quick intervals, logging into `log`. */
export function createTestRunner(
  serverUrl: string,
  workdir: string,
  agents: RunnerAgentOptions[],
  overrides: Partial<RunnerOptions> = {},
): { runner: MissionRunner; log: string[] } {
  const log: string[] = [];
  const runner = new MissionRunner({
    ...runnerDefaults,
    serverUrl,
    agents,
    workdir,
    once: false,
    pollIntervalMs: 200,
    heartbeatIntervalSeconds: 1,
    leaseSeconds: 30,
    failureBackoffMs: 10,
    environment: testEnvironment(),
    passEnvironment: [],
    version: '0.1.0-test',
    log: (line) => log.push(line),
    ...overrides,
  });
  return { runner, log };
}

/** Polls until the check answers something other than undefined; fails with the description after the deadline. */
export async function waitFor<Value>(check: () => Promise<Value | undefined>, description: string, timeoutMs = 30_000): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a task has one of the statuses. */
export function waitForTaskStatus(client: MissionControl, taskId: string, statuses: Task['status'][], timeoutMs?: number): Promise<Task> {
  return waitFor(
    async () => {
      const task = await client.tasks.get(taskId);
      return statuses.includes(task.status) ? task : undefined;
    },
    `task ${taskId} to be ${statuses.join(' or ')}`,
    timeoutMs,
  );
}

/** The runs of a task, oldest first. */
export async function runsOfTask(client: MissionControl, taskId: string): Promise<AgentRun[]> {
  return (await client.runs.list({ taskId, limit: 50 }).toArray(50)).reverse();
}

/** Whether a process is still alive: it exists and is not a zombie waiting for a parent to reap it. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (name) state …"; Z is a zombie, which has already ended.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
