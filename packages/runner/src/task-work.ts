import fs from 'node:fs';
import path from 'node:path';
import type { Agent, AgentRun, ClaimResult, Message, RunTestResult, Task } from '@mission-control/contracts';
import { isMissionControlError, type MissionControl } from '@mission-control/sdk';
import type { Adapter } from './adapters/index.js';
import { buildCliEnvironment } from './cli-environment.js';
import { startCliProcess } from './cli-process.js';
import { commitChanges, ensureWorktree } from './git.js';
import { renderFollowUpPrompt, renderTaskPrompt, renderTestFailurePrompt } from './prompt.js';
import type { RunnerAgentOptions, RunnerOptions } from './runner-options.js';
import { StepReporter } from './step-reporter.js';
import { runTestGate } from './test-gate.js';

/** Why the runner stops a run before its CLI ends. */
export type AbortReason = 'cancelled' | 'lease-lost' | 'shutdown';

/** How the work on a claimed task ended. */
export type TaskWorkResult = 'review' | 'done' | 'failed' | 'escalated' | 'cancelled' | 'lease-lost' | 'shutdown' | 'budget-exhausted';

/** What working on a task needs from its agent's worker. */
export interface TaskWorkContext {
  client: MissionControl;
  agent: Agent;
  agentOptions: RunnerAgentOptions;
  adapter: Adapter;
  runnerId: string;
  options: RunnerOptions;
  repository: string;
  toolEnvironment: Record<string, string>;
  log: (line: string) => void;
}

const outputTailCharacters = 4_000;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Dollars for people, from micro-dollars. */
function formatCost(microDollars: number): string {
  return `$${(microDollars / 1e6).toFixed(4)}`;
}

/**
 * One claimed task, start to end: worktree, prompt, the CLI run (resuming the session of an
 * earlier run), commit, summary message, the test gate with send-backs, and the task's next
 * status. `abort` stops the CLI (cancel, lost lease, shutdown).
 */
export class TaskWork {
  readonly taskId: string;
  /** The run being driven now, if any. */
  runId: string | null = null;
  readonly done: Promise<TaskWorkResult>;
  private abortReason: AbortReason | null = null;
  private stopCli: ((reason: string) => void) | null = null;
  private leaseToken: string;
  private readonly task: Task;

  constructor(
    private readonly context: TaskWorkContext,
    claim: ClaimResult,
  ) {
    this.task = claim.task;
    this.taskId = claim.task.id;
    this.leaseToken = claim.lease.token;
    this.done = this.work().catch(async (error: unknown) => {
      context.log(`${this.task.key}: ${describeError(error)}`);
      await this.failTask(`the runner failed: ${describeError(error)}`);
      return 'failed' as const;
    });
  }

  /** Stops the CLI (its whole process group) and ends the work for this reason. */
  abort(reason: AbortReason): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.stopCli?.(reason);
  }

  private get client(): MissionControl {
    return this.context.client;
  }

  private async work(): Promise<TaskWorkResult> {
    const { agent, adapter, options } = this.context;
    const task = this.task;
    const parent = task.parentId ? await this.client.tasks.get(task.parentId).catch(() => null) : null;
    const worktree = await ensureWorktree(this.context.repository, task.key, parent?.key ?? null, this.context.toolEnvironment);
    const earlier = (await this.client.runs.list({ taskId: task.id, agentId: agent.id, limit: 20 }).page()).data;
    const resumable = worktree.created ? undefined : earlier.find((run) => run.sessionId && run.adapter === adapter.name);
    // Send-backs by the test gate happen within this claim; a new claim (a person moved the task on) starts afresh.
    let testFailures = 0;
    let sessionId = resumable?.sessionId ?? null;
    let prompt = resumable
      ? renderFollowUpPrompt(task, agent, await this.messagesSince(resumable))
      : await this.firstPrompt(worktree.branch, parent);
    const testCommand = this.context.agentOptions.testCommand ?? options.testCommand;

    for (;;) {
      let run: AgentRun;
      try {
        run = await this.client.runs.create({
          taskId: task.id,
          leaseToken: this.leaseToken,
          adapter: adapter.name,
          runnerId: this.context.runnerId,
          prompt,
          model: this.context.agentOptions.model ?? '',
          sessionId,
          branch: worktree.branch,
        });
      } catch (error) {
        if (isMissionControlError(error) && error.code === 'BUDGET_EXHAUSTED') {
          await this.releaseTask('assigned', `budget used up: ${error.message}`);
          return 'budget-exhausted';
        }
        if (isMissionControlError(error) && (error.code === 'LEASE_CONFLICT' || error.code === 'LEASE_EXPIRED')) return 'lease-lost';
        throw error;
      }
      this.runId = run.id;
      const result = await this.runCli(run, prompt, sessionId, worktree.path, worktree.branch);
      if (this.abortReason) return this.endAborted(run, result);
      if (result.error) {
        await this.finishRun(run, { ...result, outcome: 'failed' });
        await this.failTask(`${adapter.name} failed: ${result.error}`);
        return 'failed';
      }
      sessionId = result.sessionId ?? sessionId;
      const committed = await commitChanges(
        worktree.path,
        { name: agent.name, email: `${agent.name}@agents.mission.local` },
        `${task.key}: ${task.title}\n\nRun ${run.id} (${adapter.name}) by ${agent.name}.`,
        this.context.toolEnvironment,
      );
      let testResult: RunTestResult | null = null;
      if (testCommand) {
        testResult = await runTestGate(testCommand, worktree.path, this.context, (step) => result.reporter.add(step));
        await result.reporter.close();
      }
      await this.finishRun(run, { ...result, outcome: 'completed', commit: committed?.commit ?? null, testResult });
      if (testResult && !testResult.passed) {
        testFailures += 1;
        if (testFailures > options.maxTestSendBacks) return this.escalate(testResult, testFailures);
        await this.post(
          `Tests failed (${testFailures} of ${options.maxTestSendBacks} send-backs): \`${testResult.command}\` exited ${testResult.exitCode ?? 'by timeout'}. Sending it back to @${agent.name} with the output.\n\n\`\`\`\n${testResult.outputTail}\n\`\`\``,
        );
        prompt = renderTestFailurePrompt(task, testResult.command, testResult.exitCode, testResult.outputTail, testFailures);
        continue;
      }
      return this.handOver(run, result, worktree.branch, committed, testResult);
    }
  }

  private async firstPrompt(branch: string, parent: Task | null): Promise<string> {
    const { client } = this;
    const { agent, options } = this.context;
    const [thread, documentList, workingMarkdown, runtime] = await Promise.all([
      client.messages.list(this.task.id, { limit: 100 }).toArray(100),
      client.documents.list({ taskId: this.task.id, limit: 5 }).page(),
      client.workingState.getMarkdown().catch(() => ''),
      client.runtime.getAgentRuntime(agent.id).catch(() => null),
    ]);
    const documents = await Promise.all(
      documentList.data.map(async (summary) => {
        const document = await client.documents.get(summary.id);
        return { title: document.title, content: document.content };
      }),
    );
    return renderTaskPrompt({
      agent,
      task: this.task,
      parent,
      thread,
      documents,
      workingMarkdown,
      instructions: runtime?.instructions ?? '',
      branch,
      testCommand: this.context.agentOptions.testCommand ?? options.testCommand,
    });
  }

  /** Messages by others since a run ended: what a follow-up addresses. */
  private async messagesSince(run: AgentRun): Promise<Message[]> {
    const since = run.finishedAt ?? run.startedAt;
    const thread = await this.client.messages.list(this.task.id, { limit: 200 }).toArray(500);
    return thread.filter((message) => message.createdAt > since && message.author.id !== this.context.agent.id);
  }

  private async runCli(run: AgentRun, prompt: string, sessionId: string | null, worktreePath: string, branch: string) {
    const { adapter, options, agentOptions } = this.context;
    const reporter = new StepReporter(this.client, run.id, () => this.abort('cancelled'), this.context.log);
    const promptDirectory = path.join(this.context.repository, '.mission', 'prompts');
    fs.mkdirSync(promptDirectory, { recursive: true });
    const promptFile = path.join(promptDirectory, `${this.task.key}-${run.id}.md`);
    fs.writeFileSync(promptFile, prompt, { mode: 0o600 });
    const parser = adapter.createParser();
    let invocation: ReturnType<Adapter['invocation']>;
    try {
      invocation = adapter.invocation({ prompt, promptFile, sessionId, command: agentOptions.command, model: agentOptions.model });
    } catch (error) {
      return { reporter, error: describeError(error), ...parser.outcome(), sessionId, durationMs: 0 };
    }
    const environment = buildCliEnvironment(options.environment, adapter, options.passEnvironment, {
      MISSION_PROMPT_FILE: promptFile,
      MISSION_TASK_ID: this.task.id,
      MISSION_TASK_KEY: this.task.key,
      MISSION_RUN_ID: run.id,
      MISSION_BRANCH: branch,
      MISSION_WORKTREE: worktreePath,
    });
    this.context.log(
      `${this.task.key}: ${invocation.command} ${invocation.args.map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}…` : arg)).join(' ')}`,
    );
    const cli = startCliProcess({
      command: invocation.command,
      args: invocation.args,
      cwd: worktreePath,
      environment,
      stdin: invocation.stdin,
      timeoutMs: options.timeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      onLine: (line) => {
        try {
          reporter.add(...parser.parseLine(line));
        } catch (error) {
          reporter.add({ kind: 'parse-error', text: line.slice(0, 2_000), result: describeError(error), isError: true });
        }
      },
    });
    this.stopCli = (reason) => cli.stop(reason);
    if (this.abortReason) cli.stop(this.abortReason);
    const ended = await cli.result;
    this.stopCli = null;
    const outcome = parser.outcome();
    let error: string | null = null;
    if (ended.end === 'timeout') error = `timed out: ${ended.stopReason}`;
    else if (ended.end === 'output-cap') error = `stopped: ${ended.stopReason}`;
    else if (ended.end === 'stopped') error = `stopped: ${ended.stopReason}`;
    else if (ended.exitCode !== 0) {
      const stderr = ended.stderrTail.trim().slice(-1_000);
      error = `${outcome.reportedError ? `${outcome.reportedError} ` : ''}(exit code ${ended.exitCode ?? ended.signal})${stderr ? `: ${stderr}` : ''}`;
    } else if (outcome.reportedError) error = outcome.reportedError;
    if (ended.stderrTail.trim() && error)
      reporter.add({ kind: 'output', text: ended.stderrTail.slice(-outputTailCharacters), isError: true });
    fs.rmSync(promptFile, { force: true });
    if (!testCommandPending(this.context)) await reporter.close();
    else await reporter.flush();
    return { reporter, error, ...outcome, durationMs: ended.durationMs };
  }

  private async finishRun(
    run: AgentRun,
    result: {
      outcome: 'completed' | 'failed' | 'cancelled';
      error?: string | null;
      sessionId: string | null;
      model: string | undefined;
      tokensIn: number;
      tokensOut: number;
      costMicroDollars: number;
      modelCalls: number;
      output: string;
      durationMs: number;
      commit?: string | null;
      testResult?: RunTestResult | null;
      reporter: StepReporter;
    },
  ): Promise<void> {
    await result.reporter.close();
    try {
      await this.client.runs.finish(run.id, {
        outcome: result.outcome,
        tokensIn: result.tokensIn,
        tokensOut: result.tokensOut,
        costMicroDollars: result.costMicroDollars,
        modelCalls: result.modelCalls,
        durationMs: result.durationMs,
        output: result.output.slice(0, 100_000),
        error: result.error ?? null,
        sessionId: result.sessionId,
        ...(result.model ? { model: result.model } : {}),
        ...(result.commit !== undefined ? { commit: result.commit } : {}),
        ...(result.testResult !== undefined ? { testResult: result.testResult } : {}),
      });
    } catch (error) {
      // The server may have closed it already (its runner went offline meanwhile).
      this.context.log(`${this.task.key}: finishing run ${run.id} failed: ${describeError(error)}`);
    }
    this.runId = null;
  }

  private async endAborted(run: AgentRun, result: Awaited<ReturnType<TaskWork['runCli']>>): Promise<TaskWorkResult> {
    const reason = this.abortReason ?? 'cancelled';
    const why =
      reason === 'cancelled'
        ? 'cancelled on request'
        : reason === 'lease-lost'
          ? 'the lease on the task was lost'
          : 'the runner is shutting down';
    await this.finishRun(run, { ...result, outcome: reason === 'lease-lost' ? 'failed' : 'cancelled', error: why });
    if (reason === 'cancelled') {
      await this.post(`Run stopped: ${why}. The task is blocked until someone moves it on.`);
      await this.releaseTask('blocked', `${this.context.adapter.name} run cancelled`);
    } else if (reason === 'shutdown') {
      await this.releaseTask('assigned', 'the runner shut down; the task waits for the next run');
    }
    return reason;
  }

  private async handOver(
    run: AgentRun,
    result: { tokensIn: number; tokensOut: number; costMicroDollars: number; modelCalls: number; output: string },
    branch: string,
    committed: { commit: string; diffStat: string } | null,
    testResult: RunTestResult | null,
  ): Promise<TaskWorkResult> {
    const nextStatus = (await this.nobodyReviews()) ? 'done' : 'review';
    const lines = [
      `Run finished (${this.context.adapter.name}, ${result.modelCalls} turn(s), ${result.tokensIn + result.tokensOut} tokens, ${formatCost(result.costMicroDollars)}).`,
      `Branch: \`${branch}\``,
      committed ? `Commit: \`${committed.commit}\`\n\n\`\`\`\n${committed.diffStat}\n\`\`\`` : 'No files changed.',
    ];
    if (testResult) lines.push(`Tests: \`${testResult.command}\` passed.`);
    if (result.output.trim()) lines.push(`Summary:\n\n${result.output.trim().slice(0, 3_000)}`);
    lines.push(`Run: ${run.id}. Moving to ${nextStatus}.`);
    await this.post(lines.join('\n'));
    await this.client.tasks.updateStatus(this.task.id, {
      status: nextStatus,
      leaseToken: this.leaseToken,
      reason: committed ? `commit ${committed.commit.slice(0, 10)} on ${branch}` : `run finished on ${branch}`,
    });
    return nextStatus;
  }

  /** Nobody reviews when the workspace turned review by people off and has no reviewer agent. */
  private async nobodyReviews(): Promise<boolean> {
    const settings = await this.client.runtime.getWorkspaceSettings().catch(() => null);
    if (!settings || settings.humanReview) return false;
    const reviewers = await this.client.agents.list({ kind: 'reviewer', limit: 1 }).page();
    return reviewers.data.length === 0;
  }

  private async escalate(testResult: RunTestResult, failures: number): Promise<TaskWorkResult> {
    const reason = `Tests still fail after ${failures - 1} send-back(s): \`${testResult.command}\` exited ${testResult.exitCode ?? 'by timeout'}.`;
    await this.post(`${reason} Escalating to a person.\n\n\`\`\`\n${testResult.outputTail}\n\`\`\``);
    await this.releaseTask('blocked', 'tests keep failing');
    await this.client.runtime.escalate(this.task.id, reason);
    return 'escalated';
  }

  private async failTask(error: string): Promise<void> {
    await this.post(`Run failed: ${error}`).catch(() => undefined);
    await this.releaseTask('failed', error.slice(0, 1_900));
  }

  private async post(content: string): Promise<void> {
    try {
      await this.client.messages.post(this.task.id, {
        content: content.slice(0, 50_000),
        type: 'status_update',
        leaseToken: this.leaseToken,
      });
    } catch {
      // Without the lease (lost meanwhile) the message still goes up, as a plain comment.
      await this.client.messages.post(this.task.id, { content: content.slice(0, 50_000), type: 'status_update' }).catch(() => undefined);
    }
  }

  private async releaseTask(status: 'assigned' | 'blocked' | 'failed', reason: string): Promise<void> {
    try {
      await this.client.tasks.release(this.task.id, { leaseToken: this.leaseToken, status, reason });
    } catch (error) {
      this.context.log(`${this.task.key}: releasing the task failed: ${describeError(error)}`);
    }
  }
}

/** The test gate is still to run after the CLI: its steps go into the same run, so the reporter stays open. */
function testCommandPending(context: TaskWorkContext): boolean {
  return Boolean(context.agentOptions.testCommand ?? context.options.testCommand);
}
