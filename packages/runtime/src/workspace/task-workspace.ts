import fs from 'node:fs/promises';
import path from 'node:path';
import { type AgentTool, runTool, toolResult } from '@mission-control/mcp';
import { z } from 'zod';
import { createApplyPatchTool } from './apply-patch.js';
import { createFileTools } from './file-tools.js';
import { type CommandResult, parseAllowedCommand, runCommand } from './run-command.js';
import { defaultJavascriptLimits, type JavascriptLimits, runJavascript } from './run-javascript.js';
import {
  commitWorktree,
  type GitEnvironment,
  type PreparedWorktree,
  prepareWorktree,
  type WorktreeCommit,
  worktreePathFor,
} from './worktree.js';

/** An agent's workspace settings, as stored with its runtime. */
export interface WorkspaceSettings {
  repositoryPath: string;
  allowedCommands: readonly string[];
  commandTimeoutSeconds: number;
  outputLimitBytes: number;
}

/** The task a turn's workspace is for. */
export interface WorkspaceTask {
  key: string;
  title: string;
  parentKey: string | null;
}

export interface TaskWorkspaceOptions {
  settings: WorkspaceSettings;
  /** PATH for the agent's commands; relative entries and entries inside the repository are dropped. */
  commandPath: string;
  /** What the platform's own git commands run with (PATH, and HOME for the operator's git config). */
  gitEnvironment: GitEnvironment;
  author: { name: string; email: string };
  /** The task the turn works on; asked when a tool first needs the worktree, since a turn may claim its task first. */
  findTask: () => Promise<WorkspaceTask | null>;
  javascriptLimits?: JavascriptLimits;
}

/** Refused because the turn has no task yet; the message is written for the model. */
export class NoWorkspaceTask extends Error {
  override readonly name = 'NoWorkspaceTask';
}

/** Drops PATH entries a command could use to start a program the agent wrote instead of the installed one. */
export function confinedCommandPath(commandPath: string, repositoryPath: string): string {
  const repository = path.resolve(repositoryPath);
  return commandPath
    .split(path.delimiter)
    .filter((entry) => path.isAbsolute(entry))
    .filter((entry) => {
      const relative = path.relative(repository, path.resolve(entry));
      return relative.startsWith('..') || path.isAbsolute(relative);
    })
    .join(path.delimiter);
}

/** A command line as a person would type it again: words with spaces or quotes in single quotes. */
function showCommand(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`)).join(' ');
}

function describeCommand(result: CommandResult, timeoutSeconds: number): string {
  const status = result.timedOut
    ? `killed after ${timeoutSeconds} s (the time limit), with every process it started`
    : result.exitCode === null
      ? result.signal
        ? `ended by ${result.signal}`
        : 'did not start'
      : `exit code ${result.exitCode}`;
  const cut = result.truncated ? ` — output cut: ${result.outputBytes} bytes, the start and the end are shown` : '';
  return `$ ${showCommand(result.argv)}\n${status}${cut}\n${result.output}`;
}

/**
 * One turn's workspace: the task's worktree (prepared on first use, the same layout
 * `mission runner` uses), the tools over it, and the commit of what changed at the end.
 */
export function createTaskWorkspace(options: TaskWorkspaceOptions) {
  const { settings } = options;
  let preparing: Promise<{ worktree: PreparedWorktree; task: WorkspaceTask }> | undefined;
  let ready: { worktree: PreparedWorktree; task: WorkspaceTask } | undefined;

  const prepare = () => {
    preparing ??= (async () => {
      const task = await options.findTask();
      if (!task)
        throw new NoWorkspaceTask(
          'the workspace belongs to a task, and this turn has none yet: claim your task first (claim_next_task or claim_task)',
        );
      const worktree = await prepareWorktree({
        repositoryPath: settings.repositoryPath,
        taskKey: task.key,
        parentTaskKey: task.parentKey,
        environment: options.gitEnvironment,
      });
      ready = { worktree, task };
      return ready;
    })().catch((error: unknown) => {
      // A turn that had no task at first may claim one and try again.
      preparing = undefined;
      throw error;
    });
    return preparing;
  };
  const root = async () => (await prepare()).worktree.path;

  const commandTool: AgentTool = {
    name: 'run_command',
    title: 'Run a command in the worktree',
    description:
      "Run one program in your task's git worktree, such as a test or a build. Allowed here: " +
      (settings.allowedCommands.length ? settings.allowedCommands.join(', ') : 'nothing (commands are off)') +
      '. There is no shell: no pipes, redirections, && or variables; quote arguments with spaces. ' +
      `It is killed after ${settings.commandTimeoutSeconds} s; output over ${settings.outputLimitBytes} bytes is cut (start and end kept). ` +
      'Returns the exit code and the output (stdout and stderr together).',
    inputSchema: { command: z.string().min(1).max(4_000).describe('The command line, such as: npm test -- --run') },
    run: (input) =>
      runTool(async () => {
        const argv = parseAllowedCommand(String(input.command), settings.allowedCommands);
        const { worktree, task } = await prepare();
        const home = path.join(
          settings.repositoryPath,
          '.mission',
          'homes',
          path.basename(worktreePathFor(settings.repositoryPath, task.key)),
        );
        // Outside the worktree, so caches a command writes into HOME are not committed with the work.
        await fs.mkdir(home, { recursive: true });
        const result = await runCommand(argv, {
          cwd: worktree.path,
          environment: {
            PATH: confinedCommandPath(options.commandPath, settings.repositoryPath),
            HOME: home,
            LANG: 'C.UTF-8',
          },
          timeoutMs: settings.commandTimeoutSeconds * 1_000,
          outputLimitBytes: settings.outputLimitBytes,
        });
        const text = describeCommand(result, settings.commandTimeoutSeconds);
        return result.exitCode === 0 ? toolResult(text) : { isError: true, content: [{ type: 'text', text }] };
      }),
  };

  const javascriptLimits = options.javascriptLimits ?? defaultJavascriptLimits;
  const javascriptTool: AgentTool = {
    name: 'run_javascript',
    title: 'Compute with JavaScript',
    description:
      'Run JavaScript in a sealed sandbox for a calculation or a data transformation. There are no files, network, timers, modules (require, import) or process: ' +
      'only the language and console.log. The value of the last expression (awaited when it is a promise) comes back as JSON, with what console.log printed. ' +
      `Limits: ${javascriptLimits.memoryLimitMb} MB of memory and ${javascriptLimits.timeoutMs} ms of running time. To run the project's own code, use run_command.`,
    inputSchema: {
      code: z.string().min(1).max(100_000).describe('JavaScript; the last expression is the result, e.g. [1, 2, 3].map((n) => n * n)'),
    },
    run: async (input) => {
      const outcome = await runJavascript(String(input.code), javascriptLimits);
      const logs = outcome.logs.length ? `\nconsole.log:\n${outcome.logs.join('\n')}${outcome.logsTruncated ? '\n[… cut …]' : ''}` : '';
      if (outcome.ok) return toolResult(`result: ${outcome.result}${logs}`);
      const reason =
        outcome.reason === 'memory'
          ? `the code used more than ${javascriptLimits.memoryLimitMb} MB of memory and was stopped`
          : outcome.reason === 'timeout'
            ? `the code ran longer than ${javascriptLimits.timeoutMs} ms and was stopped (${outcome.message})`
            : outcome.message;
      return { isError: true, content: [{ type: 'text', text: `error: ${reason}${logs}` }] };
    },
  };

  return {
    /** The worktree tools and run_javascript, for the model. */
    tools(): AgentTool[] {
      return [...createFileTools(root), createApplyPatchTool(root), commandTool, javascriptTool];
    },
    /** The worktree once a tool has prepared it. */
    get worktree(): PreparedWorktree | null {
      return ready?.worktree ?? null;
    },
    /** Commits what the turn changed on the task branch; null when the worktree was never used or nothing changed. */
    async commitChanges(summary: string): Promise<WorktreeCommit | null> {
      if (!ready) return null;
      return commitWorktree({
        repositoryPath: settings.repositoryPath,
        worktreePath: ready.worktree.path,
        author: options.author,
        message: `${ready.task.key}: ${ready.task.title}\n\n${summary}`,
        environment: options.gitEnvironment,
      });
    },
  };
}

export type TaskWorkspace = ReturnType<typeof createTaskWorkspace>;
