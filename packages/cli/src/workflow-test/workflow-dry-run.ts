import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { validateWorkflowDefinition, type WorkflowDefinition, type WorkflowRun } from '@mission-control/contracts';
import { isMissionControlError, MissionControl } from '@mission-control/sdk';
import type { Config } from '@mission-control/server';

export interface DryRunOptions {
  inputs?: Record<string, unknown>;
  /** Gives up (a failed dry run) after this long; 120 s by default. */
  timeoutSeconds?: number;
  /** How often the scripted agent looks at the board. */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface DryRunResult {
  /** 0 completed, 1 failed (or gave up), 2 invalid definition. */
  exitCode: 0 | 1 | 2;
  run: WorkflowRun | null;
}

const finished = new Set(['completed', 'failed', 'cancelled']);

/** A value for each required input that was not given, so any definition runs without --inputs. */
export function sampleInputs(definition: WorkflowDefinition, given: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(definition.inputs ?? {})) {
    if (name in given || input.default !== undefined || !input.required) continue;
    filled[name] =
      input.type === 'number'
        ? 1
        : input.type === 'boolean'
          ? true
          : input.type === 'list'
            ? ['one', 'two', 'three']
            : input.type === 'object'
              ? {}
              : `sample ${name}`;
  }
  return filled;
}

function capabilitiesOf(definition: WorkflowDefinition): string[] {
  return [...new Set(definition.steps.flatMap((step) => (step.kind === 'task' ? (step.task.requiredCapabilities ?? []) : [])))];
}

/**
 * A local stand-in for every http step's target, so a dry run sends nothing off this machine:
 * it answers 200 with `{"dryRun": true}` and remembers which steps called.
 */
async function startHttpStandIn(): Promise<{ url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls.push(decodeURIComponent((request.url ?? '').replace(/^\/step\//, '')));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"dryRun":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function formatOffset(fromMs: number, atIso: string): string {
  return `+${Math.max(0, (new Date(atIso).getTime() - fromMs) / 1_000).toFixed(1)}s`;
}

/**
 * `mission workflow test`: runs a definition on a throwaway in-process server (SQLite in a temporary
 * directory) with one scripted agent that claims and completes every task, and approves every
 * approval as the owner; prints the run's timeline. Nothing touches a real server.
 */
export async function runWorkflowDryRun(definitionValue: unknown, options: DryRunOptions = {}): Promise<DryRunResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { checkWorkflowExpression, loadConfig, startServer, workflowTemplates } = await import('@mission-control/server');
  const validation = validateWorkflowDefinition(definitionValue, checkWorkflowExpression);
  if (!validation.valid) {
    for (const error of validation.errors) log(`invalid: ${error.path || '(top)'}: ${error.message}`);
    return { exitCode: 2, run: null };
  }
  const definition = validation.definition;
  const given = options.inputs ?? {};
  const samples = sampleInputs(definition, given);
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-workflow-test-'));
  const owner = { email: 'dry-run@mission.local', password: `dry-${randomBytes(9).toString('base64url')}` };
  const standIn = definition.steps.some((step) => step.kind === 'http') ? await startHttpStandIn() : undefined;
  const config: Config = loadConfig(
    {
      MISSION_DATA_DIR: dataDirectory,
      LOG_LEVEL: 'warn',
      MISSION_SCHEDULER_ENABLED: 'false',
      // The stand-in listens on loopback, which the outbound guard refuses unless told otherwise.
      ...(standIn ? { MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' } : {}),
    },
    { admin: owner, port: 0, host: '127.0.0.1' },
  );
  const server = await startServer(config, { announceFirstOwner: false });
  try {
    const people = new MissionControl({ baseUrl: server.url });
    await people.auth.login(owner);
    const agent = await people.agents.create({
      name: 'scripted-agent',
      role: 'specialist',
      capabilities: capabilitiesOf(definition),
      concurrencyLimit: 100,
    });
    const key = await people.agents.createApiKey(agent.id, { name: 'workflow dry run' });
    const scripted = new MissionControl({ baseUrl: server.url, apiKey: key.secret });
    // Assignees name agents of a real workspace; here the scripted agent stands in for each of them.
    const runnable: WorkflowDefinition = {
      ...definition,
      steps: definition.steps.map((step) => {
        if (step.kind === 'task' && step.task.assignee)
          return { ...step, task: { ...step.task, assignee: { kind: 'agent', id: agent.id } } };
        if (step.kind === 'http' && standIn) return { ...step, url: `${standIn.url}/step/${encodeURIComponent(step.id)}` };
        return step;
      }),
    };
    const workflow = await people.workflows.create(runnable);
    for (const step of definition.steps) {
      const template = step.kind === 'workflow' ? workflowTemplates.find((entry) => entry.name === step.workflow) : undefined;
      if (template && template.name !== definition.name) await people.workflows.instantiateTemplate(template.name).catch(() => {});
    }

    log(`Dry run of ${definition.name} on a throwaway server (SQLite in ${dataDirectory}).`);
    log('A scripted agent completes every task and every approval is approved automatically.');
    if (standIn) log('http steps are answered by a local stand-in (200, {"dryRun": true}): nothing is sent off this machine.');
    for (const [name, value] of Object.entries(samples)) log(`Input ${name} was not given: using ${JSON.stringify(value)}.`);
    let run = await people.workflows.run(workflow.id, { inputs: { ...given, ...samples } });
    const deadline = Date.now() + (options.timeoutSeconds ?? 120) * 1_000;
    let gaveUp = false;
    while (!finished.has(run.status)) {
      if (Date.now() > deadline) {
        gaveUp = true;
        break;
      }
      for (;;) {
        let claimed: Awaited<ReturnType<MissionControl['tasks']['claimNext']>>;
        try {
          claimed = await scripted.tasks.claimNext({});
        } catch (error) {
          if (isMissionControlError(error) && error.status === 409) break;
          throw error;
        }
        if (!claimed) break;
        await scripted.tasks.updateStatus(claimed.task.id, {
          status: 'done',
          reason: 'completed by the dry run',
          leaseToken: claimed.lease.token,
        });
      }
      for (const approval of await people.approvals.list({ status: 'pending' })) {
        await people.approvals.approve(approval.id, 'approved automatically by the dry run');
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
      run = await people.workflows.getRun(run.id);
    }

    const startedMs = new Date(run.startedAt).getTime();
    log('');
    log('Timeline:');
    for (const entry of await people.workflows.timeline(run.id)) {
      log(`  ${formatOffset(startedMs, entry.at).padStart(8)}  ${(entry.stepId ?? 'run').padEnd(16)}  ${entry.summary}`);
    }
    log('');
    if (gaveUp) log(`Gave up after ${options.timeoutSeconds ?? 120} seconds: the run is still ${run.status}.`);
    else log(`The run ${run.status}${run.error ? `: ${run.error}` : ''}.`);
    return { exitCode: run.status === 'completed' && !gaveUp ? 0 : 1, run };
  } finally {
    await server.close();
    await standIn?.close();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
}
