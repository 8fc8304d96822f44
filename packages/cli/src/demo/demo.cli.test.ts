import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message, Task } from '@mission-control/contracts';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, startRealServer } from '../../../sdk/src/test/real-server.js';
import { demoGoal, demoSquad, secondDemoGoal } from './demo-plans.js';

const binary = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Asks again until the answer is there; the test's own timeout bounds the wait. */
async function eventually<Value>(ask: () => Promise<Value | undefined>): Promise<Value> {
  for (;;) {
    const answer = await ask();
    if (answer !== undefined) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('mission demo --pace fast, kept running', () => {
  let directory: string;
  beforeAll(async () => {
    await buildCommandLine();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-demo-cli-'));
  }, 120_000);
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('refuses an unknown pace with a usage error naming the paces', async () => {
    const child = spawn(process.execPath, [binary, 'demo', '--pace', 'warp'], { env: { PATH: process.env.PATH ?? '', HOME: directory } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(2);
    expect(stderr).toContain('--pace must be one of slow, normal, fast; got "warp"');
  });

  it('keeps the squad working on anyone’s tasks, answers a mention, brings a second goal, and stops with exit 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [binary, 'demo', '--scripted', '--pace', 'fast', '--port', '0', '--data', path.join(directory, 'data')],
      { env: { PATH: process.env.PATH ?? '', HOME: directory, XDG_CONFIG_HOME: directory }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const { url, email, password } = await eventually(async () => {
        const address = /open\s+(http:\/\/\S+)/.exec(stdout)?.[1];
        const credentials = /sign in\s+(\S+) \/ (\S+)/.exec(stdout);
        return address && credentials?.[1] && credentials[2]
          ? { url: address, email: credentials[1], password: credentials[2] }
          : undefined;
      });
      const owner = new MissionControl({ baseUrl: url });
      await owner.auth.login({ email, password });
      const agents = await owner.agents.list().toArray(20);
      const forge = agents.find((agent) => agent.name === 'scripted-forge');
      expect(forge).toBeDefined();
      expect(stdout).toContain('try        create a task needing planning, research, writing, code, review');

      // A task someone creates after the script started, needing a capability forge has.
      const fix = await owner.tasks.create({ title: 'Fix the flaky login test', requiredCapabilities: ['code'] });
      // And one nobody in the squad can do: it is left alone.
      const design = await owner.tasks.create({ title: 'Draw the new logo', requiredCapabilities: ['design'] });
      const finished: Task = await eventually(async () => {
        const current = await owner.tasks.get(fix.id);
        return current.status === 'done' ? current : undefined;
      });
      expect(finished.assignees).toEqual([{ kind: 'agent', id: forge?.id }]);
      const thread: Message[] = await owner.messages.list(fix.id).toArray(50);
      expect(thread.some((message) => message.author.id === forge?.id && message.content.startsWith('On it'))).toBe(true);
      const documents = await owner.documents.list({ taskId: fix.id }).toArray(10);
      expect(documents.map((document) => document.title)).toEqual(['Fix the flaky login test']);
      expect(await owner.tasks.get(design.id)).toMatchObject({ status: 'inbox', assignees: [] });

      const question = await owner.messages.post(fix.id, { content: 'Nice work @scripted-forge, was it the clock?' });
      const reply = await eventually(async () =>
        (await owner.messages.list(fix.id).toArray(50)).find((message) => message.replyToId === question.id),
      );
      expect(reply.author).toEqual({ kind: 'agent', id: forge?.id });
      expect(reply.content).toContain('scripted demo agent');
      expect(reply.content).toContain('"code"');

      // A task handed to the lead is planned like a goal.
      const atlas = agents.find((agent) => agent.name === 'scripted-atlas');
      const handed = await owner.tasks.create({ title: 'Plan the team offsite', assignees: [{ kind: 'agent', id: atlas?.id ?? '' }] });
      const handedPlan = await eventually(async () => {
        const subtasks = await owner.tasks.list({ parentId: handed.id }).toArray(20);
        return subtasks.length === 2 ? subtasks : undefined;
      });
      expect(handedPlan.map((task) => task.title).sort()).toEqual(['Research: Plan the team offsite', 'Write up: Plan the team offsite']);

      // The second goal arrives by itself, and the lead plans it.
      const second = await eventually(async () =>
        (await owner.tasks.list({ limit: 100 }).toArray(200)).find((task) => task.title === secondDemoGoal.title),
      );
      await eventually(async () => {
        const subtasks = await owner.tasks.list({ parentId: second.id }).toArray(20);
        return subtasks.length === 3 ? subtasks : undefined;
      });

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('Stopped the squad and the server.');
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);

  it('with --connect works on a running server; killed, its agents go offline and the owner is told', async () => {
    const server = await startRealServer('sqlite');
    const child = spawn(process.execPath, [binary, 'demo', '--connect', '--pace', 'fast'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: directory,
        XDG_CONFIG_HOME: directory,
        MISSION_URL: server.url,
        MISSION_API_KEY: server.ownerToken,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      const owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
      // The squad is at work on this server: the lead plans the goal.
      await eventually(async () => {
        const goal = (await owner.tasks.list({ limit: 50 }).toArray(100)).find((task) => task.title === demoGoal.title);
        const subtasks = goal ? await owner.tasks.list({ parentId: goal.id }).toArray(20) : [];
        return subtasks.length === 3 ? subtasks : undefined;
      });
      expect(stdout).toContain('sign in    with your own account');
      // Every agent has had its turn, so every one is online when the demo dies.
      await eventually(async () => {
        const agents = await owner.agents.list().toArray(20);
        return agents.length === 5 && agents.every((agent) => agent.status !== 'offline') ? agents : undefined;
      });

      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // Three missed heartbeats at the fast pace (10 s each), on the server's clock.
      server.clock.advance(40_000);
      expect(await server.services.heartbeats.markSilentAgentsOffline()).toBe(5);
      const unread = await owner.notifications.list({ unread: true }).toArray(100);
      const offline = unread.map((notification) => /^(\S+) went offline: no heartbeat for 1 minute\./.exec(notification.content)?.[1]);
      expect(offline.filter(Boolean).sort()).toEqual(
        demoSquad(true)
          .map((member) => member.name)
          .sort(),
      );
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await server.close();
    }
  }, 120_000);
});
