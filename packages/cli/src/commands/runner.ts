import fs from 'node:fs';
import path from 'node:path';
import { runnerAdapterNameSchema } from '@mission-control/contracts';
import {
  MissionRunner,
  type RunnerAgentOptions,
  type RunnerOptions,
  readRunnerConfigFile,
  runnerDefaults,
  splitCommand,
} from '@mission-control/runner';
import type { Command } from 'commander';
import { environment, resolveConnection } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { parseDuration, printNotice } from '../output.js';
import { choice, globalOptions, parseInteger, splitList } from './shared.js';

interface RunnerCommandOptions {
  agent?: string;
  adapter?: string;
  workdir?: string;
  command?: string;
  model?: string;
  concurrency?: string;
  test?: string;
  testRetries?: string;
  once?: boolean;
  config?: string;
  timeout?: string;
  lease?: string;
  poll?: string;
  passEnv?: string;
  name?: string;
}

const runnerHelp = `
Each claimed task gets a git worktree at <workdir>/.mission/worktrees/<TASK-KEY> on branch
mission/<task-key>; the adapter's CLI runs there with a scrubbed environment (its own
credentials only), a timeout and an output cap. When it ends the runner commits as the agent,
posts the branch, commit and diff stat on the task and moves it to review. A new message on the
task later resumes the CLI's session in the same worktree. With --test, failing tests send the
task back to the agent (3 times by default), then escalate.

Adapters: claude-code (claude), codex, gemini, opencode, process (any --command: the prompt on
stdin and in $MISSION_PROMPT_FILE, stdout lines become steps, exit code 0 is success).

Several agents: a mission-runner.yaml (see docs/guides/runners.md):
  url: http://127.0.0.1:4000
  workdir: .
  test: npm test
  agents:
    - { agent: jarvis, apiKeyEnv: JARVIS_KEY, adapter: claude-code }
    - { agent: friday, apiKeyEnv: FRIDAY_KEY, adapter: codex }

Examples:
  MISSION_API_KEY=mc_… mission runner --agent jarvis --adapter claude-code --workdir ~/src/app --test "npm test"
  mission runner --agent bot --adapter process --command "./agent.sh" --once
  mission runner --config mission-runner.yaml

SIGTERM or Ctrl-C cancels the running CLIs, records their runs cancelled and releases the tasks.`;

function durationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const milliseconds = parseDuration(value);
  if (milliseconds === undefined || milliseconds <= 0)
    throw new UsageError(`${name} must be a duration such as 30m, 90s or 2h; got "${value}".`);
  return milliseconds;
}

/** The runner's options from the flags, or from mission-runner.yaml when one is given (or found) and no --adapter. */
function buildRunnerOptions(options: RunnerCommandOptions, command: Command): RunnerOptions {
  const flags = globalOptions(command);
  const configFile = options.config ?? (!options.adapter && fs.existsSync('mission-runner.yaml') ? 'mission-runner.yaml' : undefined);
  let agents: RunnerAgentOptions[];
  let fileSettings: ReturnType<typeof readRunnerConfigFile>['config'] | undefined;
  let serverUrl: string;
  if (configFile) {
    try {
      const read = readRunnerConfigFile(configFile, environment.variables);
      agents = read.agents;
      fileSettings = read.config;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    serverUrl = flags.url ?? fileSettings.url ?? resolveConnection(flags).url;
  } else {
    if (!options.adapter)
      throw new UsageError('Give --adapter (claude-code, codex, gemini, opencode or process), or --config mission-runner.yaml.');
    const connection = resolveConnection(flags);
    if (!connection.credential) {
      throw new UsageError(`No agent key for ${connection.url}: pass --api-key mc_… or export MISSION_API_KEY=mc_… (the agent's key).`, 4);
    }
    serverUrl = connection.url;
    agents = [
      {
        apiKey: connection.credential,
        agent: options.agent,
        adapter: choice('--adapter', options.adapter, runnerAdapterNameSchema.options),
        command: options.command ? splitCommand(options.command) : undefined,
        model: options.model,
      },
    ];
  }
  const timeoutMs =
    durationOption('--timeout', options.timeout) ?? (fileSettings?.timeoutMinutes ? fileSettings.timeoutMinutes * 60_000 : undefined);
  return {
    serverUrl,
    agents,
    workdir: path.resolve(options.workdir ?? fileSettings?.workdir ?? '.'),
    concurrency: parseInteger('--concurrency', options.concurrency) ?? fileSettings?.concurrency ?? runnerDefaults.concurrency,
    testCommand: options.test ?? fileSettings?.test,
    maxTestSendBacks: parseInteger('--test-retries', options.testRetries) ?? runnerDefaults.maxTestSendBacks,
    once: options.once === true,
    timeoutMs: timeoutMs ?? runnerDefaults.timeoutMs,
    testTimeoutMs: runnerDefaults.testTimeoutMs,
    maxOutputBytes: runnerDefaults.maxOutputBytes,
    leaseSeconds: parseInteger('--lease', options.lease) ?? runnerDefaults.leaseSeconds,
    pollIntervalMs: durationOption('--poll', options.poll) ?? runnerDefaults.pollIntervalMs,
    heartbeatIntervalSeconds: runnerDefaults.heartbeatIntervalSeconds,
    failureBackoffMs: runnerDefaults.failureBackoffMs,
    environment: environment.variables,
    passEnvironment: [...(fileSettings?.passEnvironment ?? []), ...(splitList(options.passEnv) ?? [])],
    name: options.name,
    version: '0.1.0',
    log: (line) => printNotice(`${new Date().toISOString()} ${line}`),
  };
}

/** Registers `mission runner`: drive agent CLIs on the agents' tasks. */
export function registerRunnerCommand(program: Command): void {
  program
    .command('runner')
    .description(
      'Claim the agents’ tasks and drive agent CLIs (Claude Code, Codex, Gemini, OpenCode, any command) on them in git worktrees',
    )
    .option('--agent <agent>', 'the agent (name or id) whose key is given; checked against the key')
    .option('--adapter <adapter>', runnerAdapterNameSchema.options.join(', '))
    .option('--workdir <repository>', 'the git repository to work in', '.')
    .option('--command <command>', 'the command to run (process adapter), or the CLI with leading arguments')
    .option('--model <model>', "passed to the CLI's --model")
    .option('--concurrency <n>', 'runs at once across agents', String(runnerDefaults.concurrency))
    .option('--test <command>', 'the test gate: run after each successful CLI run, in the worktree')
    .option('--test-retries <n>', 'send-backs on failing tests before escalating', String(runnerDefaults.maxTestSendBacks))
    .option('--once', 'take one task per agent, finish it and exit')
    .option('--config <file>', 'several agents and adapters from a mission-runner.yaml')
    .option('--timeout <duration>', 'wall-clock limit of one CLI run', '30m')
    .option('--lease <seconds>', 'lease of each claim (renewed while running)', String(runnerDefaults.leaseSeconds))
    .option('--poll <duration>', 'how often to look for work when the stream is quiet', '5s')
    .option('--pass-env <names>', 'more environment variables for the CLI, comma separated')
    .option('--name <name>', 'the runner’s name on the dashboard (host: repository by default)')
    .addHelpText('after', runnerHelp)
    .action(async (options: RunnerCommandOptions, command: Command) => {
      const runner = new MissionRunner(buildRunnerOptions(options, command));
      const stop = (signal: string) => {
        printNotice(`${signal}: stopping the runner…`);
        void runner.stop(signal);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      try {
        await runner.start();
      } catch (error) {
        await runner.stop('failed to start');
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      await runner.finished;
    });
}
