import type { Activity, WorkflowRun, WorkflowStepState } from '@mission-control/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { queryKeys } from '../../lib/query-keys';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { usePrincipalDirectory } from '../people/people-api';
import { useRealtimeTopic } from '../realtime/realtime-provider';
import { stepStatuses } from './dag-layout';
import { describeStepOutput } from './step-output';
import { WorkflowGraph } from './workflow-graph';
import { StatusBadge, stepKindLabel } from './workflow-words';
import { useCancelWorkflowRun, useWorkflowRun, useWorkflowRunTimeline, useWorkflowVersions } from './workflows-api';

/** Refetches the run and its timeline whenever the stream says one of its steps moved. */
function useLiveRun(runId: string) {
  const queryClient = useQueryClient();
  const onEvent = (activity: Activity) => {
    if (!('workflowRunId' in activity.data) || activity.data.workflowRunId !== runId) return;
    void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRun(runId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRunTimeline(runId) });
  };
  useRealtimeTopic('type:workflow-step-started', onEvent);
  useRealtimeTopic('type:workflow-step-finished', onEvent);
  useRealtimeTopic('type:workflow-run-finished', onEvent);
}

/** One run: the DAG coloured by step status as it happens, each step's output, the timeline, Cancel. */
export default function WorkflowRunPage() {
  const { runId = '' } = useParams();
  const run = useWorkflowRun(runId);
  usePageTitle(run.data ? `Run of ${run.data.workflowName}` : 'Workflow run');
  useLiveRun(runId);
  if (run.isPending) return <Skeleton className="h-96" label="Loading the run" />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} what="this run" />;
  return <RunView run={run.data} />;
}

function RunView({ run }: { run: WorkflowRun }) {
  const now = useNow();
  const directory = usePrincipalDirectory();
  const cancel = useCancelWorkflowRun(run.id);
  const versions = useWorkflowVersions(run.workflowId);
  const definition = versions.data?.find((each) => each.version === run.version)?.definition;
  const statuses = useMemo(() => stepStatuses(run), [run]);
  const stepNames = new Map(definition?.steps.map((step) => [step.id, step.name ?? step.id]));
  const finished = run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled';
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <Link to={`/workflows/${run.workflowId}`} className="font-mono text-xs underline">
        ← {run.workflowName}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h1 className="text-3xl font-black break-words uppercase">Run of {run.workflowName}</h1>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <StatusBadge status={run.status} />
            <span>version {run.version}</span>
            <span title={formatDateTime(run.startedAt)}>
              started {relativeTime(run.startedAt, now)} by {directory.nameOf(run.startedBy)}
            </span>
            {run.finishedAt ? <span title={formatDateTime(run.finishedAt)}>finished {relativeTime(run.finishedAt, now)}</span> : null}
          </p>
          {run.error ? <p className="mt-1 font-mono text-sm">Why: {run.error}</p> : null}
          {Object.keys(run.inputs).length > 0 ? (
            <p className="mt-1 font-mono text-xs break-all">
              Inputs:{' '}
              {Object.entries(run.inputs)
                .map(([name, value]) => `${name} = ${JSON.stringify(value)}`)
                .join(', ')}
            </p>
          ) : null}
        </div>
        {finished ? null : (
          <button type="button" className="brutal-button" data-variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {cancel.isError ? (
        <p role="alert" className="font-mono text-sm">
          Could not cancel: {describeError(cancel.error)}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="min-w-0">
          {definition ? (
            <WorkflowGraph
              steps={definition.steps}
              statuses={statuses}
              label="The steps, coloured by status: green done, yellow running or waiting, red failed, grey skipped or cancelled."
            />
          ) : (
            <Skeleton className="h-80" label="Loading the graph" />
          )}
        </div>
        <StepsTable steps={run.steps} names={stepNames} now={now} />
      </div>
      <Timeline runId={run.id} names={stepNames} />
    </div>
  );
}

function StepsTable({ steps, names, now }: { steps: WorkflowStepState[]; names: Map<string, string>; now: number }) {
  const directory = usePrincipalDirectory();
  const stepName = (stepId: string) => names.get(stepId) ?? stepId;
  return (
    <section aria-labelledby="steps-heading" className="flex min-w-0 flex-col gap-2">
      <h2 id="steps-heading" className="text-xl font-black uppercase">
        Steps
      </h2>
      <ol className="flex flex-col gap-2">
        {steps.map((step) => (
          <li
            key={`${step.stepId}:${step.itemIndex ?? 'own'}`}
            className="flex flex-col gap-1 border-2 border-ink p-2 text-sm"
            data-step-row={step.stepId}
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-black">
                {names.get(step.stepId) ?? step.stepId}
                {step.itemIndex === null ? '' : ` #${step.itemIndex + 1}`}
              </span>
              <span className="font-mono text-xs uppercase">{stepKindLabel[step.kind] ?? step.kind}</span>
              <StatusBadge status={step.status} />
              {step.attempts > 1 ? <span className="font-mono text-xs">{step.attempts} attempts</span> : null}
              {step.startedAt ? (
                <span className="font-mono text-xs" title={formatDateTime(step.startedAt)}>
                  started {relativeTime(step.startedAt, now)}
                </span>
              ) : null}
              {step.finishedAt ? (
                <span className="font-mono text-xs" title={formatDateTime(step.finishedAt)}>
                  finished {relativeTime(step.finishedAt, now)}
                </span>
              ) : null}
            </div>
            <div className="flex flex-wrap gap-3 font-mono text-xs">
              {step.taskId ? (
                <Link to={`?task=${step.taskId}`} className="underline">
                  Open its task
                </Link>
              ) : null}
              {step.approvalId ? (
                <Link to="/approvals" className="underline">
                  Go to the approvals inbox
                </Link>
              ) : null}
              {step.childRunId ? (
                <Link to={`/workflows/runs/${step.childRunId}`} className="underline">
                  Open the sub-workflow run
                </Link>
              ) : null}
            </div>
            {step.error ? <p className="font-mono text-xs">Error: {step.error}</p> : null}
            {step.output !== null && step.output !== undefined ? (
              <StepOutput sentence={describeStepOutput(step.output, directory.nameOf, stepName)} output={step.output} />
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function StepOutput({ sentence, output }: { sentence: string | null; output: unknown }) {
  return (
    <div className="flex flex-col gap-1">
      {sentence ? <p className="text-sm">{sentence}</p> : null}
      <details>
        <summary className="cursor-pointer font-mono text-xs font-bold">{sentence ? 'Output as data' : 'Output'}</summary>
        <pre className="max-h-48 overflow-auto bg-paper-alt p-2 text-xs break-all whitespace-pre-wrap">
          {JSON.stringify(output, null, 2)}
        </pre>
      </details>
    </div>
  );
}

function Timeline({ runId, names }: { runId: string; names: Map<string, string> }) {
  const timeline = useWorkflowRunTimeline(runId);
  const now = useNow();
  return (
    <section aria-labelledby="timeline-heading" className="flex flex-col gap-2">
      <h2 id="timeline-heading" className="text-xl font-black uppercase">
        Timeline
      </h2>
      {timeline.isPending ? (
        <SkeletonList rows={3} />
      ) : timeline.isError ? (
        <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} what="the timeline" />
      ) : (
        <ol className="flex flex-col border-l-[3px] border-ink pl-3">
          {timeline.data.map((entry, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id and never reorder
            <li key={index} className="py-1 text-sm">
              <time dateTime={entry.at} title={formatDateTime(entry.at)} className="mr-2 font-mono text-xs font-bold">
                {relativeTime(entry.at, now)}
              </time>
              {entry.stepId ? <span className="mr-1 font-bold">{names.get(entry.stepId) ?? entry.stepId}:</span> : null}
              {entry.summary}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
