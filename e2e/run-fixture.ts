import type { Harness } from './harness.js';

export interface RunFixture {
  agentKey: string;
  runnerId: string;
  runId: string;
  taskKey: string;
}

/**
 * What a `mission runner` does before the CLI's first line, through the API: the agent registers a
 * runner, claims its task and starts a run on it, with one step recorded. No CLI runs.
 */
export async function startRunnerRun(harness: Harness, agent: { id: string }, taskTitle: string): Promise<RunFixture> {
  const key = await harness.api<{ secret: string }>('POST', `/agents/${agent.id}/api-keys`, { name: 'runner' });
  const agentKey = key.body.secret;
  const runner = await harness.api<{ id: string }>(
    'POST',
    '/runners',
    {
      runnerKey: `e2e_${agent.id.replace(/-/g, '')}`,
      name: 'build box',
      host: 'build-1.example.com',
      version: '0.1.0',
      adapters: [
        { name: 'claude-code', version: '2.0.1' },
        { name: 'codex', version: null },
      ],
      adapter: 'claude-code',
    },
    agentKey,
  );
  expectStatus('register the runner', runner.status, 201);
  const task = await harness.api<{ key: string }>('POST', '/tasks', { title: taskTitle, assignees: [{ kind: 'agent', id: agent.id }] });
  expectStatus('create the task', task.status, 201);
  const taskKey = task.body.key;
  const claim = await harness.api<{ lease: { token: string } }>('POST', `/tasks/${taskKey}/claim`, {}, agentKey);
  expectStatus('claim the task', claim.status, 200);
  const run = await harness.api<{ id: string }>(
    'POST',
    '/runs',
    {
      taskId: taskKey,
      leaseToken: claim.body.lease.token,
      adapter: 'claude-code',
      runnerId: runner.body.id,
      prompt: 'Do the task',
      branch: `mission/${taskKey.toLowerCase()}`,
    },
    agentKey,
  );
  expectStatus('start the run', run.status, 201);
  const steps = await harness.api(
    'POST',
    `/runs/${run.body.id}/steps`,
    { steps: [{ kind: 'model', text: 'Reading the code first' }] },
    agentKey,
  );
  expectStatus('record a step', steps.status, 200);
  return { agentKey, runnerId: runner.body.id, runId: run.body.id, taskKey };
}

function expectStatus(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`could not ${what}: the API answered ${actual}, expected ${expected}`);
}
