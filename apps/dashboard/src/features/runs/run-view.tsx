import type { AgentRun, RunStep } from '@mission-control/contracts';
import { type ReactNode, useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { formatCost } from '../agents/agent-runtime-api';
import { usePrincipalDirectory } from '../people/people-api';
import { formatTokens, outcomeClassName, outcomeLabels, runDuration, runOutcome, shortCommit } from './run-format';
import { useCancelRun, useRunDetail, useRunnerNames } from './runs-api';

/** A run's outcome as a badge: the words carry it, the colour only repeats them. */
export function RunOutcomeBadge({ run }: { run: Pick<AgentRun, 'status' | 'cancelRequestedAt'> }) {
  const outcome = runOutcome(run);
  return (
    <span className={`inline-block border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase ${outcomeClassName(outcome)}`}>
      {outcomeLabels[outcome]}
    </span>
  );
}

/** One run in full: who ran what where, its usage and branch, the test gate, the transcript as it grows, and Stop. */
export function RunView({ run }: { run: AgentRun }) {
  const detail = useRunDetail(run.id);
  // The detail is refetched on every step, so it is the freshest copy; the list row fills in until it arrives.
  const current = detail.data ?? run;
  const now = useNow();
  const directory = usePrincipalDirectory();
  const runnerName = useRunnerNames();
  return (
    <article className="flex flex-col gap-3" aria-label={`Run of ${directory.nameOf({ kind: 'agent', id: current.agentId })}`}>
      <div className="flex flex-wrap items-center gap-2">
        <RunOutcomeBadge run={current} />
        <span className="font-mono text-xs">
          {directory.nameOf({ kind: 'agent', id: current.agentId })} · {current.adapter ?? current.model} on {runnerName(current.runnerId)}{' '}
          · started {relativeTime(current.startedAt, now)}
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Fact label="Duration">{runDuration(current, now)}</Fact>
        <Fact label="Tokens">{formatTokens(current)}</Fact>
        <Fact label="Cost">{formatCost(current.costMicroDollars)}</Fact>
        <Fact label="Turns">{current.modelCalls}</Fact>
        <Fact label="Branch">{current.branch ?? '—'}</Fact>
        <Fact label="Commit">
          {current.commit ? (
            <span title={current.commit}>{shortCommit(current.commit)}</span>
          ) : current.status === 'running' ? (
            'none yet'
          ) : (
            'none'
          )}
        </Fact>
      </dl>
      {current.error ? (
        <p className="whitespace-pre-wrap break-words border-2 border-ink bg-signal p-2 font-mono text-xs text-black">{current.error}</p>
      ) : null}
      {current.testResult ? (
        <div className="border-2 border-ink p-2 font-mono text-xs">
          <p className="font-bold">
            Tests {current.testResult.passed ? 'passed' : 'failed'}: {current.testResult.command} (exit code{' '}
            {current.testResult.exitCode ?? 'none, it was killed'})
          </p>
          <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap break-words">{current.testResult.outputTail}</pre>
        </div>
      ) : null}
      {current.output && current.status !== 'running' ? <p className="whitespace-pre-wrap break-words text-sm">{current.output}</p> : null}
      <StopRun run={current} />
      <section aria-label="Steps">
        <h4 className="brutal-label">Steps</h4>
        {detail.isPending ? <SkeletonList rows={2} className="h-8" /> : null}
        {detail.isError ? <ErrorState error={detail.error} what="the run's steps" onRetry={() => void detail.refetch()} /> : null}
        {detail.data?.steps.length === 0 ? <p className="font-mono text-xs text-ink-muted">No steps yet.</p> : null}
        {detail.data ? (
          <ol className="flex max-h-96 flex-col gap-1 overflow-y-auto font-mono text-xs" aria-live="polite">
            {detail.data.steps.map((step) => (
              <RunStepLine key={step.index} step={step} />
            ))}
          </ol>
        ) : null}
      </section>
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 border-2 border-ink p-1.5">
      <dt className="brutal-label">{label}</dt>
      <dd className="break-words font-mono text-xs">{children}</dd>
    </div>
  );
}

const stepLabels: Record<RunStep['kind'], string> = {
  model: 'Assistant',
  'tool-call': 'Tool',
  'tool-result': 'Result',
  output: 'Output',
  test: 'Tests',
  'parse-error': 'Unreadable output',
};

/** One transcript step as a person reads it: what the assistant said, which tool ran and whether it failed, the tests' exit code. */
export function RunStepLine({ step }: { step: RunStep }) {
  const failed = step.isError === true;
  const heading =
    step.kind === 'tool-call'
      ? `Tool ${step.toolName ?? ''}`.trim()
      : step.kind === 'test'
        ? `Tests${step.command ? ` · ${step.command}` : ''} · exit code ${step.exitCode ?? 'none (killed)'}`
        : step.kind === 'model' && (step.tokensIn !== undefined || step.tokensOut !== undefined)
          ? `Assistant (${step.tokensIn ?? 0} in / ${step.tokensOut ?? 0} out)`
          : stepLabels[step.kind];
  const body = step.kind === 'tool-call' ? step.result : step.kind === 'tool-result' ? step.result : step.text;
  return (
    <li className="border-l-4 border-ink pl-2" data-step-kind={step.kind}>
      <p>
        <span className="font-bold">{heading}</span>
        {failed ? (
          <span className="ml-1 border border-ink bg-signal px-1 font-bold text-black">{step.kind === 'test' ? 'failed' : 'error'}</span>
        ) : null}
        {step.kind === 'tool-call' && step.arguments !== undefined ? (
          <span className="ml-1 break-all opacity-80">{JSON.stringify(step.arguments).slice(0, 300)}</span>
        ) : null}
      </p>
      {body ? <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-words">{body.slice(-4_000)}</pre> : null}
    </li>
  );
}

/** Stop, with a confirmation first: stopping kills the agent CLI and its work in progress. */
function StopRun({ run }: { run: AgentRun }) {
  const cancel = useCancelRun();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ text: string; failed: boolean } | null>(null);
  const stoppable = run.status === 'running' && run.trigger === 'runner' && !run.cancelRequestedAt;
  const program = run.adapter ?? 'the agent CLI';
  const stop = () =>
    cancel.mutate(run.id, {
      onSuccess: (answer) => {
        setConfirming(false);
        const message =
          answer.status === 'cancelled'
            ? 'The run is cancelled: its runner was offline, so it was recorded as cancelled at once.'
            : `Stop requested: the runner stops ${program} within a few seconds and records the run as cancelled.`;
        setResult({ text: message, failed: false });
        showToast(message, 'success');
      },
      onError: (error) => {
        setConfirming(false);
        const message = `Could not stop the run: ${describeError(error)}`;
        setResult({ text: message, failed: true });
        showToast(message, 'error');
      },
    });
  return (
    <div className="flex flex-col gap-2">
      {stoppable && !confirming ? (
        <div>
          <button type="button" className="brutal-button" data-variant="danger" onClick={() => setConfirming(true)}>
            Stop
          </button>
        </div>
      ) : null}
      {stoppable && confirming ? (
        <fieldset className="flex flex-wrap items-center gap-2 border-2 border-ink bg-paper-alt p-2" aria-label="Confirm stop">
          <p className="text-sm">Stop this run? The runner kills {program} and records the run as cancelled.</p>
          <button type="button" className="brutal-button" data-variant="danger" disabled={cancel.isPending} onClick={stop}>
            Stop the run
          </button>
          <button type="button" className="brutal-button" onClick={() => setConfirming(false)}>
            Keep it running
          </button>
        </fieldset>
      ) : null}
      <p role="status" className="font-mono text-xs">
        {/* Once the run has ended its outcome badge says how; only a failed stop stays worth reading. */}
        {result && (result.failed || run.status === 'running')
          ? result.text
          : run.status === 'running' && run.cancelRequestedAt
            ? 'Stop requested: waiting for the runner to stop it.'
            : ''}
      </p>
    </div>
  );
}
