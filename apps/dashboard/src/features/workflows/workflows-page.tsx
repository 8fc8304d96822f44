import type { WorkflowRun } from '@mission-control/contracts';
import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { AutomationTabs } from './automation-tabs';
import { StatusBadge } from './workflow-words';
import {
  runPageSize,
  useInstantiateTemplate,
  useLiveWorkflowRuns,
  useWorkflowRuns,
  useWorkflows,
  useWorkflowTemplates,
} from './workflows-api';

/** The workspace's workflows: each with its latest version, its last run and how many runs it had. */
export default function WorkflowsPage() {
  usePageTitle('Workflows');
  const workflows = useWorkflows();
  const runs = useWorkflowRuns();
  useLiveWorkflowRuns();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const runsByWorkflow = useMemo(() => {
    const grouped = new Map<string, WorkflowRun[]>();
    for (const run of runs.data ?? []) grouped.set(run.workflowId, [...(grouped.get(run.workflowId) ?? []), run]);
    return grouped;
  }, [runs.data]);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-black uppercase">Workflows</h1>
        <button type="button" className="brutal-button" data-variant="primary" onClick={() => setCreating(true)}>
          New from a template
        </button>
      </div>
      <AutomationTabs />
      {workflows.isPending ? (
        <SkeletonList />
      ) : workflows.isError ? (
        <ErrorState error={workflows.error} onRetry={() => void workflows.refetch()} what="the workflows" />
      ) : workflows.data.length === 0 ? (
        <EmptyState title="No workflows yet">Start from a template: a pipeline, a fan-out, a review loop, an approval gate…</EmptyState>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Workflows">
          {workflows.data.map((workflow) => {
            const workflowRuns = runsByWorkflow.get(workflow.id) ?? [];
            const last = workflowRuns[0];
            return (
              <li key={workflow.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 border-[3px] border-ink p-3">
                <div className="min-w-0 flex-1 basis-64">
                  <Link to={`/workflows/${workflow.id}`} className="text-lg font-black break-words underline">
                    {workflow.name}
                  </Link>
                  <p className="text-sm break-words text-ink-muted">{workflow.description || 'No description'}</p>
                </div>
                <span className="font-mono text-xs">Version {workflow.version}</span>
                <span className="font-mono text-xs">
                  {/* The list reads the newest 200 runs of the workspace: past that a count is a lower bound, "12+ runs". */}
                  {(runs.data?.length ?? 0) >= runPageSize && workflowRuns.length > 0
                    ? `${workflowRuns.length}+ runs`
                    : plural(workflowRuns.length, 'run')}
                </span>
                <span className="flex items-center gap-2 font-mono text-xs">
                  {last ? (
                    <>
                      Last run <StatusBadge status={last.status} />
                      <Link to={`/workflows/runs/${last.id}`} className="underline" title={formatDateTime(last.startedAt)}>
                        {relativeTime(last.startedAt, now)}
                      </Link>
                    </>
                  ) : (
                    'Never run'
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <NewWorkflowDialog open={creating} onOpenChange={setCreating} />
    </div>
  );
}

function NewWorkflowDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const templates = useWorkflowTemplates();
  const instantiate = useInstantiateTemplate();
  const navigate = useNavigate();
  const [template, setTemplate] = useState('');
  const [name, setName] = useState('');
  const chosen = templates.data?.find((each) => each.name === template) ?? templates.data?.[0];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    instantiate.mutate(
      { template: chosen.name, ...(name.trim() ? { name: name.trim() } : {}) },
      { onSuccess: (workflow) => navigate(`/workflows/${workflow.id}`) },
    );
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New workflow" description="Start from a built-in template, then edit it.">
      {templates.isPending ? (
        <SkeletonList rows={3} />
      ) : templates.isError ? (
        <ErrorState error={templates.error} onRetry={() => void templates.refetch()} what="the templates" />
      ) : (
        <form className="flex flex-col gap-3" onSubmit={submit}>
          <fieldset className="flex flex-col gap-2">
            <legend className="brutal-label">Template</legend>
            {templates.data.map((each) => (
              <label key={each.name} className="flex items-start gap-2 border-2 border-ink p-2">
                <input
                  type="radio"
                  name="template"
                  value={each.name}
                  checked={chosen?.name === each.name}
                  onChange={() => setTemplate(each.name)}
                  className="mt-1"
                />
                <span>
                  <span className="font-black">{each.name}</span>
                  <span className="block text-sm text-ink-muted">{each.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label className="flex flex-col gap-1">
            <span className="brutal-label">Name (optional)</span>
            <input
              className="brutal-input"
              value={name}
              placeholder={chosen?.name}
              onChange={(event) => setName(event.target.value)}
              pattern="[a-z0-9][a-z0-9\-]*"
              title="Lower case letters, digits and dashes"
            />
          </label>
          {instantiate.isError ? (
            <p role="alert" className="font-mono text-sm">
              {describeError(instantiate.error)}
            </p>
          ) : null}
          <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={instantiate.isPending}>
            {instantiate.isPending ? 'Creating…' : 'Create workflow'}
          </button>
        </form>
      )}
    </Dialog>
  );
}
