import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissionControl } from './index.js';
import { type RealServer, runBuildStep, startRealServer } from './test/real-server.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('the 30-line agent of the guide (examples/sdk-agent.ts)', () => {
  let server: RealServer;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    // Typechecks the example against the SDK's published types, then compiles it to run it.
    await runBuildStep(['tsc', '-b', 'packages/sdk']);
    await runBuildStep(['tsc', '-p', 'examples', '--noEmit', 'false']);
    server = await startRealServer('sqlite');
  }, 120_000);
  afterAll(async () => {
    child?.kill();
    await server?.close();
  });

  it('takes an assigned task, writes a document, reports in the thread and hands it over for review', async () => {
    const owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    const { agent, apiKey } = await server.createAgentWithKey();
    const task = await owner.tasks.create({
      title: 'Summarise the week',
      description: 'Five bullet points.',
      assignees: [{ kind: 'agent', id: agent.id }],
    });
    let stderr = '';
    child = spawn(process.execPath, [`${repositoryRoot}examples/dist/sdk-agent.js`], {
      env: { PATH: process.env.PATH ?? '', MISSION_URL: server.url, MISSION_API_KEY: apiKey },
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });

    await expect.poll(async () => (await owner.tasks.get(task.id)).status, { timeout: 15_000 }).toBe('review');
    const documents = await owner.documents.list({ taskId: task.id }).toArray();
    expect(documents.map((document) => document.title)).toEqual([`${task.key}: Summarise the week`]);
    const thread = await owner.messages.list(task.id).toArray();
    expect(thread.map((message) => message.content)).toEqual([`Starting ${task.key}.`, `Done: see "${task.key}: Summarise the week".`]);
    expect(stderr).toBe('');
  });
});
