import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from '../../packages/sdk/src/index.js';
import {
  describeEachEngine,
  ownerEmail,
  ownerPassword,
  type RealServer,
  startRealServer,
} from '../../packages/sdk/src/test/real-server.js';

const pythonRoot = fileURLToPath(new URL('./', import.meta.url));

interface PythonRun {
  code: number;
  output: string;
}

/** Runs python3 in clients/python with only the variables given (no PyPI, no site packages needed). */
function runPython(args: string[], env: Record<string, string>): Promise<PythonRun> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      args,
      { cwd: pythonRoot, env: { PATH: process.env.PATH ?? '', PYTHONPATH: pythonRoot, PYTHONDONTWRITEBYTECODE: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describeEachEngine('the Python SDK (clients/python) against a real server', (engine) => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer(engine);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('passes its unittest suite without skipping a test', async () => {
    const { apiKey } = await server.createAgentWithKey();
    const run = await runPython(['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
      MISSION_URL: server.url,
      MISSION_API_KEY: apiKey,
      MISSION_OWNER_TOKEN: server.ownerToken,
      MISSION_OWNER_EMAIL: ownerEmail,
      MISSION_OWNER_PASSWORD: ownerPassword,
      MISSION_OTHER_OWNER_TOKEN: await server.createOtherWorkspaceToken(),
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output, run.output).toMatch(/\nOK\n?$/);
    expect(run.output).not.toMatch(/skipped/);
  }, 120_000);

  it('runs the example agent, which claims its task, reports in the thread and marks it done', async () => {
    const owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    const { agent, apiKey } = await server.createAgentWithKey();
    const task = await owner.tasks.create({ title: 'Tidy the backlog', assignees: [{ kind: 'agent', id: agent.id }] });

    const run = await runPython(['examples/agent.py'], { MISSION_URL: server.url, MISSION_API_KEY: apiKey });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`${task.key} done.`);

    const stored = await server.database.db
      .selectFrom('tasks')
      .select(['status', 'completed_at'])
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('done');
    expect(stored.completed_at).not.toBeNull();
    const thread = await owner.messages.list(task.id).toArray();
    expect(thread.map((message) => message.content)).toEqual([`Starting ${task.key}.`, 'Done: Tidy the backlog is handled.']);
    expect(thread.every((message) => message.author.id === agent.id)).toBe(true);
  }, 60_000);
});
