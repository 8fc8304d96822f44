import fs from 'node:fs';
import { validateWorkflowDefinition } from '@mission-control/contracts';
import { checkWorkflowExpression } from '@mission-control/server';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../exit-codes.js';
import { formatTime, printJson, printLines, printTable } from '../output.js';
import { runWorkflowDryRun } from '../workflow-test/workflow-dry-run.js';
import { clientFor, globalOptions, parseInteger } from './shared.js';

function readDefinition(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${file}: give the path of a workflow definition (JSON or YAML).`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${error instanceof Error ? error.message.split('\n')[0] : 'unreadable'}`,
    );
  }
}

function parseInputs(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the usage error.
  }
  throw new UsageError('--inputs takes a JSON object, such as \'{"topic": "tides"}\'.');
}

/** Registers `mission workflow validate|test|run`, `mission approvals ls|approve|reject` and `mission routines ls|trigger`. */
export function registerWorkflowCommands(program: Command): void {
  const workflow = program.command('workflow').description('Workflows: durable multi-step work on the board');

  workflow
    .command('validate <file>')
    .description('Check a definition (JSON or YAML) on this machine; exits 0, or 2 with every error')
    .addHelpText('after', '\nExamples:\n  mission workflow validate research.yaml')
    .action(async (file: string, _options: unknown, command: Command) => {
      const result = validateWorkflowDefinition(readDefinition(file), checkWorkflowExpression);
      if (globalOptions(command).json) printJson({ valid: result.valid, errors: result.errors });
      else if (result.valid) printLines(`${file}: valid (${result.definition.steps.length} steps).`);
      else printLines(...result.errors.map((error) => `${file}: ${error.path || '(top)'}: ${error.message}`));
      if (!result.valid) process.exitCode = 2;
    });

  workflow
    .command('test <file>')
    .description(
      'Dry-run a definition on a throwaway in-process server: a scripted agent completes every task, approvals are approved; prints the timeline; exits 0 when the run completes, 1 when it fails, 2 for an invalid file',
    )
    .option('--inputs <json>', 'the inputs as a JSON object (required inputs left out get sample values)')
    .option('--timeout <seconds>', 'give up after this long (120 by default)')
    .addHelpText('after', '\nExamples:\n  mission workflow test research.yaml --inputs \'{"topic": "tides"}\'')
    .action(async (file: string, options: { inputs?: string; timeout?: string }) => {
      const result = await runWorkflowDryRun(readDefinition(file), {
        inputs: parseInputs(options.inputs),
        timeoutSeconds: parseInteger('--timeout', options.timeout) ?? 120,
      });
      process.exitCode = result.exitCode;
    });

  workflow
    .command('run <name>')
    .description('Start a run of a workflow (by name or id)')
    .option('--inputs <json>', 'the inputs as a JSON object')
    .option('--follow', 'wait for the run to finish, printing each step as it changes')
    .addHelpText('after', '\nExamples:\n  mission workflow run research-write-review --inputs \'{"topic": "tides"}\' --follow')
    .action(async (name: string, options: { inputs?: string; follow?: boolean }, command: Command) => {
      const client = await clientFor(command);
      let run = await client.workflows.run(name, { inputs: parseInputs(options.inputs) });
      const seen = new Map<string, string>();
      const show = () => {
        for (const step of run.steps) {
          const label = step.itemIndex === null ? step.stepId : `${step.stepId}[${step.itemIndex}]`;
          if (seen.get(label) === step.status) continue;
          seen.set(label, step.status);
          if (!globalOptions(command).json) printLines(`${label}: ${step.status}${step.error ? ` (${step.error})` : ''}`);
        }
      };
      if (options.follow) {
        show();
        while (run.status === 'running' || run.status === 'waiting') {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          run = await client.workflows.getRun(run.id);
          show();
        }
      }
      if (globalOptions(command).json) printJson(run);
      else printLines(`Run ${run.id} of ${run.workflowName} v${run.version}: ${run.status}${run.error ? ` (${run.error})` : ''}.`);
      if (run.status === 'failed' || run.status === 'cancelled') process.exitCode = 1;
    });

  const approvals = program.command('approvals').description('The approvals inbox: workflow gates and agent proposals');
  approvals
    .command('ls')
    .description('List approvals (pending ones by default)')
    .option('--all', 'every approval, decided ones too')
    .action(async (options: { all?: boolean }, command: Command) => {
      const client = await clientFor(command);
      const list = await client.approvals.list(options.all ? {} : { status: 'pending' });
      if (globalOptions(command).json) return printJson(list);
      printTable(list, [
        ['id', (approval) => approval.id],
        ['status', (approval) => approval.status],
        ['title', (approval) => approval.title],
        ['source', (approval) => approval.source.kind],
        ['created', (approval) => formatTime(approval.createdAt)],
      ]);
    });
  for (const verb of ['approve', 'reject'] as const) {
    approvals
      .command(`${verb} <id>`)
      .description(verb === 'approve' ? 'Approve, letting the waiting step go on' : 'Reject, failing the waiting step')
      .option('--comment <text>', 'why')
      .action(async (id: string, options: { comment?: string }, command: Command) => {
        const client = await clientFor(command);
        const decided = await client.approvals[verb](id, options.comment);
        if (globalOptions(command).json) printJson(decided);
        else printLines(`${decided.title}: ${decided.status}.`);
      });
  }

  const routines = program.command('routines').description('Routines: workflow runs or tasks on a cron schedule');
  routines
    .command('ls')
    .description('List the routines with their next run')
    .action(async (_options: unknown, command: Command) => {
      const client = await clientFor(command);
      const list = await client.automation.routines();
      if (globalOptions(command).json) return printJson(list);
      printTable(list, [
        ['id', (routine) => routine.id],
        ['name', (routine) => routine.name],
        ['schedule', (routine) => `${routine.schedule} (${routine.timezone})`],
        ['enabled', (routine) => (routine.enabled ? 'yes' : 'no')],
        ['next run', (routine) => (routine.nextRunAt ? formatTime(routine.nextRunAt) : '')],
      ]);
    });
  routines
    .command('trigger <id>')
    .description('Run a routine now')
    .action(async (id: string, _options: unknown, command: Command) => {
      const client = await clientFor(command);
      const fired = await client.automation.triggerRoutine(id);
      if (globalOptions(command).json) printJson(fired);
      else
        printLines(
          `Routine ${fired.routine.name} fired${fired.workflowRunId ? `: run ${fired.workflowRunId}` : fired.taskId ? `: task ${fired.taskId}` : ''}.`,
        );
    });
}
