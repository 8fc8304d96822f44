import { type AgentRun, runStatusSchema } from '@mission-control/contracts';
import type { Command } from 'commander';
import { formatTime, printFields, printJson, printLines, printTable } from '../output.js';
import { choice, clientFor, globalOptions, parseInteger, resolveAgentId } from './shared.js';

function formatCost(microDollars: number): string {
  return `$${(microDollars / 1e6).toFixed(4)}`;
}

function printRuns(runs: readonly AgentRun[]): void {
  printTable(runs, [
    ['id', (run) => run.id],
    ['status', (run) => run.status],
    ['trigger', (run) => run.trigger],
    ['adapter', (run) => run.adapter ?? run.model],
    ['tokens', (run) => run.tokensIn + run.tokensOut],
    ['cost', (run) => formatCost(run.costMicroDollars)],
    ['branch', (run) => run.branch],
    ['started', (run) => formatTime(run.startedAt)],
  ]);
}

/** Registers `mission runs ls|show|cancel`. */
export function registerRunCommands(program: Command): void {
  const runs = program.command('runs').description('Runs of agents: built-in turns and runner runs, with transcripts; cancel a runner run');

  runs
    .command('ls')
    .description('List runs, newest first')
    .option('--agent <agent>', 'runs of this agent (id, name or me)')
    .option('--task <task>', 'runs on this task (TASK-7 or an id)')
    .option('--runner <id>', 'runs of this runner')
    .option('--status <status>', runStatusSchema.options.join(', '))
    .option('--limit <n>', 'at most this many', '20')
    .addHelpText('after', '\nExamples:\n  mission runs ls --task TASK-7\n  mission runs ls --status running --json | jq -r ".[].id"')
    .action(async (options: { agent?: string; task?: string; runner?: string; status?: string; limit: string }, command: Command) => {
      const client = await clientFor(command);
      const limit = Math.min(Math.max(parseInteger('--limit', options.limit) ?? 20, 1), 200);
      const list = await client.runs
        .list({
          ...(options.agent ? { agentId: await resolveAgentId(client, options.agent) } : {}),
          ...(options.task ? { taskId: options.task } : {}),
          ...(options.runner ? { runnerId: options.runner } : {}),
          ...(options.status ? { status: choice('--status', options.status, runStatusSchema.options) } : {}),
          limit,
        })
        .toArray(limit);
      if (globalOptions(command).json) printJson(list);
      else printRuns(list);
    });

  runs
    .command('show <run>')
    .description('Show a run with its transcript')
    .action(async (runId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const run = await client.runs.get(runId);
      if (globalOptions(command).json) {
        printJson(run);
        return;
      }
      printFields([
        ['Run', run.id],
        ['Status', `${run.status}${run.cancelRequestedAt ? ` (cancel requested ${formatTime(run.cancelRequestedAt)})` : ''}`],
        ['Trigger', run.trigger],
        ['Adapter', run.adapter ?? `${run.provider} ${run.model}`],
        ['Model', run.model],
        ['Task', run.taskId],
        ['Branch', run.branch],
        ['Commit', run.commit],
        ['Session', run.sessionId],
        ['Tokens', `${run.tokensIn} in, ${run.tokensOut} out, ${run.modelCalls} turn(s)`],
        ['Cost', formatCost(run.costMicroDollars)],
        ['Duration', run.durationMs === null ? null : `${(run.durationMs / 1000).toFixed(1)} s`],
        [
          'Tests',
          run.testResult
            ? `${run.testResult.command}: ${run.testResult.passed ? 'passed' : `failed (exit ${run.testResult.exitCode ?? 'timeout'})`}`
            : null,
        ],
        ['Error', run.error],
      ]);
      printLines(
        '',
        ...run.steps.map((step) => {
          const detail =
            step.kind === 'tool-call'
              ? `${step.toolName} ${JSON.stringify(step.arguments ?? {}).slice(0, 120)}`
              : step.kind === 'test'
                ? `${step.command} → exit ${step.exitCode ?? 'timeout'}`
                : (step.text ?? step.result ?? '').replace(/\s+/g, ' ').slice(0, 160);
          return `${String(step.index).padStart(3)} ${step.kind.padEnd(11)} ${step.isError ? '✗ ' : ''}${detail}`;
        }),
      );
      if (run.output) printLines('', run.output);
    });

  runs
    .command('cancel <run>')
    .description('Stop a runner run: the runner kills its CLI and records it cancelled')
    .action(async (runId: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const run = await client.runs.cancel(runId);
      if (globalOptions(command).json) printJson(run);
      else
        printLines(
          run.status === 'cancelled'
            ? `Run ${run.id} cancelled (its runner was offline).`
            : `Cancel requested for run ${run.id}; the runner stops it within seconds.`,
        );
    });
}
