import type { WorkflowDefinition, WorkflowVersion } from '@mission-control/contracts';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { DefinitionEditor } from './definition-editor';
import { drawableSteps } from './definition-text';
import { RunWorkflowDialog } from './run-workflow-dialog';
import { WorkflowGraph } from './workflow-graph';
import { VersionsSection } from './workflow-versions';
import { StatusBadge } from './workflow-words';
import { useDeleteWorkflow, useLiveWorkflowRuns, useSaveWorkflowVersion, useWorkflow, useWorkflowRuns } from './workflows-api';

/** One workflow: its definition drawn and editable side by side, its versions, its runs, and Run. */
export default function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const workflow = useWorkflow(workflowId);
  usePageTitle(workflow.data?.name ?? 'Workflow');
  const [running, setRunning] = useState(false);
  const [opened, setOpened] = useState<WorkflowVersion | null>(null);
  if (workflow.isPending) return <Skeleton className="h-96" label="Loading the workflow" />;
  if (workflow.isError) return <ErrorState error={workflow.error} onRetry={() => void workflow.refetch()} what="this workflow" />;
  const current = workflow.data;
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <Link to="/workflows" className="font-mono text-xs underline">
        ← Workflows
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h1 className="text-3xl font-black break-words uppercase">{current.name}</h1>
          <p className="text-sm text-ink-muted">
            Version {current.version} · {current.description || 'No description'}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" data-variant="primary" onClick={() => setRunning(true)}>
            Run
          </button>
          <DeleteWorkflowButton workflowId={current.id} name={current.name} />
        </div>
      </div>
      <DefinitionSection
        // Saving or opening another version restarts the editor from that version.
        key={`${current.version}:${opened?.version ?? 'latest'}`}
        workflowId={current.id}
        version={current.version}
        openedVersion={opened?.version ?? null}
        definition={opened?.definition ?? current.definition}
        onSaved={() => setOpened(null)}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <VersionsSection workflowId={current.id} latest={current.version} opened={opened?.version ?? null} onOpen={setOpened} />
        <RunsSection workflowId={current.id} />
      </div>
      <RunWorkflowDialog
        workflowId={current.id}
        definition={current.definition}
        latestVersion={current.version}
        open={running}
        onOpenChange={setRunning}
      />
    </div>
  );
}

function DefinitionSection({
  workflowId,
  version,
  openedVersion,
  definition,
  onSaved,
}: {
  workflowId: string;
  version: number;
  openedVersion: number | null;
  definition: WorkflowDefinition;
  onSaved(): void;
}) {
  const save = useSaveWorkflowVersion(workflowId);
  const [draft, setDraft] = useState<unknown>(definition);
  const onDraftChange = useCallback((value: unknown) => {
    if (value !== undefined) setDraft(value);
  }, []);
  const steps = useMemo(() => drawableSteps(draft), [draft]);
  return (
    <section aria-labelledby="definition-heading" className="flex flex-col gap-2">
      <h2 id="definition-heading" className="text-xl font-black uppercase">
        Definition
      </h2>
      {openedVersion === null ? null : (
        <p className="font-mono text-xs">Showing version {openedVersion}: saving it makes it the latest again.</p>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="min-w-0">
          <WorkflowGraph steps={steps} label="The steps as a graph, following the editor: arrows go from a step to those waiting for it." />
        </div>
        <DefinitionEditor
          definition={definition}
          nextVersion={version + 1}
          saving={save.isPending}
          saveError={save.error}
          onSave={(next) =>
            save.mutate(next, {
              onSuccess: (saved) => {
                showToast(`Saved as version ${saved.version}.`, 'success');
                onSaved();
              },
            })
          }
          onDraftChange={onDraftChange}
        />
      </div>
    </section>
  );
}

function RunsSection({ workflowId }: { workflowId: string }) {
  const runs = useWorkflowRuns(workflowId);
  useLiveWorkflowRuns();
  const now = useNow();
  return (
    <section aria-labelledby="runs-heading" className="flex flex-col gap-2">
      <h2 id="runs-heading" className="text-xl font-black uppercase">
        Runs
      </h2>
      {runs.isPending ? (
        <SkeletonList rows={2} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => void runs.refetch()} what="the runs" />
      ) : runs.data.length === 0 ? (
        <EmptyState title="Not run yet">Run it with the button above.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-1">
          {runs.data.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center justify-between gap-2 border-2 border-ink p-2 font-mono text-sm">
              <Link to={`/workflows/runs/${run.id}`} className="font-bold underline" title={formatDateTime(run.startedAt)}>
                Started {relativeTime(run.startedAt, now)}
              </Link>
              <span>version {run.version}</span>
              <StatusBadge status={run.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Deletes after a second click, so one slip does not lose a workflow and its versions. */
function DeleteWorkflowButton({ workflowId, name }: { workflowId: string; name: string }) {
  const remove = useDeleteWorkflow(workflowId);
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        className="brutal-button"
        data-variant="danger"
        disabled={remove.isPending}
        onClick={() => {
          if (!asking) return setAsking(true);
          remove.mutate(undefined, {
            onSuccess: () => {
              showToast(`${name} deleted; runs already started go on.`);
              navigate('/workflows');
            },
          });
        }}
      >
        {asking ? 'Really delete it?' : 'Delete'}
      </button>
      {remove.isError ? (
        <p role="alert" className="w-full font-mono text-sm">
          Could not delete: {describeError(remove.error)}
        </p>
      ) : null}
    </>
  );
}
