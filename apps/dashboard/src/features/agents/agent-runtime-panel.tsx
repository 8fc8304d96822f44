import { type AgentRun, modelProviderSchema } from '@mission-control/contracts';
import { useEffect, useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, timeAgo } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { RunStepLine } from '../runs/run-view';
import { formatCost, useAgentRuns, useAgentRuntime, useRun, useUpdateAgentRuntime, useUsage, useWakeAgent } from './agent-runtime-api';

const stateClass: Record<string, string> = {
  idle: 'bg-status-idle text-black',
  running: 'bg-status-active text-black',
  'backing-off': 'bg-status-blocked text-black',
  failing: 'bg-signal text-black',
  'budget-exhausted': 'bg-signal text-black',
  unconfigured: 'bg-status-offline text-black',
};

/** How the platform runs this agent: built in or external, its model, the scheduler's state, Wake now, usage and runs. */
export function AgentRuntimePanel({ agentId }: { agentId: string }) {
  const runtime = useAgentRuntime(agentId);
  const update = useUpdateAgentRuntime(agentId);
  const wake = useWakeAgent(agentId);
  const usage = useUsage({ agentId });
  const now = useNow();
  const [model, setModel] = useState('');
  const [stepLimit, setStepLimit] = useState('');

  useEffect(() => {
    if (runtime.data) {
      setModel(runtime.data.model ?? '');
      setStepLimit(String(runtime.data.stepLimit));
    }
  }, [runtime.data]);

  if (runtime.isPending) return <SkeletonList rows={2} className="h-16" />;
  if (runtime.isError) return <ErrorState error={runtime.error} what="the runtime settings" onRetry={() => void runtime.refetch()} />;
  const data = runtime.data;
  const builtin = data.runtime === 'builtin';
  const wakeBlocker = !builtin
    ? 'Only built-in agents can be woken; this one runs outside Mission Control and works when its own process asks for work.'
    : !data.model
      ? 'Choose a provider and model first: without one there is nothing to run.'
      : null;
  const save = (input: Parameters<typeof update.mutate>[0], message: string) =>
    update.mutate(input, { onSuccess: () => showToast(message, 'success'), onError: (error) => showToast(describeError(error), 'error') });

  return (
    <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-label="Runtime">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-black uppercase">Runtime</h2>
        <div className="flex items-center gap-2">
          {builtin ? (
            <span className={`border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase ${stateClass[data.state] ?? ''}`}>
              {data.state}
            </span>
          ) : null}
          <button
            type="button"
            className="brutal-button"
            data-variant="primary"
            disabled={wakeBlocker !== null || wake.isPending}
            aria-describedby={wakeBlocker ? 'wake-blocker' : undefined}
            onClick={() =>
              wake.mutate(undefined, {
                onSuccess: (answer) =>
                  showToast(
                    answer.wakeRequestedAt
                      ? `Wake requested: ${data.model} takes a turn within a few seconds; its run appears below.`
                      : 'The agent is already taking a turn; its run appears below.',
                    'success',
                  ),
                onError: (error) => showToast(describeError(error), 'error'),
              })
            }
          >
            Wake now
          </button>
        </div>
      </div>
      {wakeBlocker ? (
        <p id="wake-blocker" className="font-mono text-xs">
          {wakeBlocker}
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <label className="brutal-label" htmlFor="runtime-kind">
            Runs
          </label>
          <select
            id="runtime-kind"
            className="brutal-input"
            value={data.runtime}
            onChange={(event) => save({ runtime: event.target.value === 'builtin' ? 'builtin' : 'external' }, 'Runtime changed')}
          >
            <option value="external">external (connects with its key)</option>
            <option value="builtin">built in (run by Mission Control)</option>
          </select>
        </div>
        <div>
          <label className="brutal-label" htmlFor="runtime-provider">
            Provider
          </label>
          <select
            id="runtime-provider"
            className="brutal-input"
            value={data.provider ?? ''}
            onChange={(event) =>
              save({ provider: event.target.value ? modelProviderSchema.parse(event.target.value) : null }, 'Provider changed')
            }
          >
            <option value="">workspace default</option>
            {modelProviderSchema.options.map((provider) => (
              <option key={provider} value={provider}>
                {provider}
              </option>
            ))}
          </select>
        </div>
      </div>
      <form
        className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_8rem_auto] sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          save({ model: model.trim() || null, stepLimit: Number(stepLimit) }, 'Saved');
        }}
      >
        <div>
          <label className="brutal-label" htmlFor="runtime-model">
            Model
          </label>
          <input
            id="runtime-model"
            className="brutal-input"
            placeholder="workspace default"
            value={model}
            onChange={(event) => setModel(event.target.value)}
          />
        </div>
        <div>
          <label className="brutal-label" htmlFor="runtime-steps">
            Step limit
          </label>
          <input
            id="runtime-steps"
            type="number"
            min={1}
            max={100}
            className="brutal-input"
            value={stepLimit}
            onChange={(event) => setStepLimit(event.target.value)}
          />
        </div>
        <button type="submit" className="brutal-button" disabled={update.isPending}>
          Save
        </button>
      </form>
      {builtin ? (
        <p className="font-mono text-xs">
          next check {data.nextRunAt ? timeAgo(data.nextRunAt, now) : '—'} · last turn {timeAgo(data.lastRunAt, now)}
          {data.failures > 0
            ? ` · ${data.failures} failure(s) in a row, retry ${data.backoffUntil ? formatDateTime(data.backoffUntil) : 'soon'}`
            : ''}
        </p>
      ) : null}
      {data.lastError ? (
        <p role="alert" className="border-2 border-ink bg-signal p-2 font-mono text-xs text-black">
          {data.lastError}
        </p>
      ) : null}
      <section className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-label="Usage this month">
        <Figure label="Runs (month)" value={usage.data?.total.runs} />
        <Figure label="Model calls" value={usage.data?.total.modelCalls} />
        <Figure label="Tokens in / out" value={usage.data ? `${usage.data.total.tokensIn} / ${usage.data.total.tokensOut}` : undefined} />
        <Figure label="Cost" value={usage.data ? formatCost(usage.data.total.costMicroDollars) : undefined} />
      </section>
      <RunList agentId={agentId} />
    </section>
  );
}

function RunList({ agentId }: { agentId: string }) {
  const runs = useAgentRuns(agentId);
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  if (runs.isPending) return <SkeletonList rows={2} className="h-10" />;
  if (runs.isError) return <ErrorState error={runs.error} what="runs" />;
  if (runs.data.data.length === 0) return <p className="font-mono text-sm">No turns yet: the agent is woken only when there is work.</p>;
  return (
    <div className="flex flex-col gap-2">
      <h3 className="brutal-label">Runs</h3>
      <ul className="flex flex-col gap-2">
        {runs.data.data.map((run) => (
          <li key={run.id} className="border-2 border-ink">
            <button
              type="button"
              className="flex w-full flex-wrap items-center justify-between gap-2 p-2 text-left font-mono text-xs"
              aria-expanded={openRunId === run.id}
              onClick={() => setOpenRunId(openRunId === run.id ? null : run.id)}
            >
              <span>
                <span className="font-bold uppercase">{run.status}</span> · {run.trigger} · {run.model}
              </span>
              <span>
                {run.tokensIn + run.tokensOut} tokens · {formatCost(run.costMicroDollars)} · {formatDateTime(run.startedAt)}
              </span>
            </button>
            {openRunId === run.id ? <RunTranscript run={run} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RunTranscript({ run }: { run: AgentRun }) {
  const detail = useRun(run.id);
  if (detail.isPending) return <SkeletonList rows={2} className="h-8" />;
  if (detail.isError) return <ErrorState error={detail.error} what="the transcript" />;
  return (
    <ol className="flex flex-col gap-1 border-t-2 border-ink p-2 font-mono text-xs">
      {run.error ? <li className="bg-signal p-1 text-black">{run.error}</li> : null}
      {detail.data.steps.map((step) => (
        <RunStepLine key={step.index} step={step} />
      ))}
    </ol>
  );
}

function Figure({ label, value }: { label: string; value: string | number | undefined }) {
  return (
    <div className="border-2 border-ink p-2">
      <p className="brutal-label">{label}</p>
      <p className="text-lg font-black">{value ?? '…'}</p>
    </div>
  );
}
