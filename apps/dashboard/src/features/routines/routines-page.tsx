import type { Routine } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { AutomationTabs } from '../workflows/automation-tabs';
import { useWorkflows } from '../workflows/workflows-api';
import { AutomationCard } from './automation-parts';
import { RoutineDialog } from './routine-dialog';
import { useRoutineActions, useRoutines } from './routines-api';

/** Routines: workflows and tasks on a cron schedule, with their next run in relative and local time. */
export default function RoutinesPage() {
  usePageTitle('Routines');
  const routines = useRoutines();
  const workflows = useWorkflows();
  const actions = useRoutineActions();
  const now = useNow();
  const [editing, setEditing] = useState<Routine | 'new' | null>(null);
  const workflowName = (id: string | null) => workflows.data?.find((workflow) => workflow.id === id)?.name ?? 'a deleted workflow';
  const failure = actions.update.error ?? actions.remove.error ?? actions.trigger.error;

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-black uppercase">Routines</h1>
        <button type="button" className="brutal-button" data-variant="primary" onClick={() => setEditing('new')}>
          New routine
        </button>
      </div>
      <AutomationTabs />
      {failure ? (
        <p role="alert" className="font-mono text-sm">
          {describeError(failure)}
        </p>
      ) : null}
      {routines.isPending ? (
        <SkeletonList />
      ) : routines.isError ? (
        <ErrorState error={routines.error} onRetry={() => void routines.refetch()} what="the routines" />
      ) : routines.data.length === 0 ? (
        <EmptyState title="No routines yet">
          A routine runs a workflow or creates a task on a schedule, such as the daily standup.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Routines">
          {routines.data.map((routine) => (
            <AutomationCard
              key={routine.id}
              name={routine.name}
              enabled={routine.enabled}
              onToggle={() => actions.update.mutate({ id: routine.id, input: { enabled: !routine.enabled } })}
              onEdit={() => setEditing(routine)}
              onDelete={() => actions.remove.mutate(routine.id, { onSuccess: () => showToast(`${routine.name} deleted.`) })}
              extraAction={
                <button
                  type="button"
                  className="brutal-button"
                  disabled={actions.trigger.isPending}
                  onClick={() =>
                    actions.trigger.mutate(routine.id, { onSuccess: () => showToast(`${routine.name} is running now.`, 'success') })
                  }
                >
                  Trigger now
                </button>
              }
            >
              <p className="text-sm">
                {routine.workflowId ? (
                  <>
                    Runs{' '}
                    <Link to={`/workflows/${routine.workflowId}`} className="font-bold underline">
                      {workflowName(routine.workflowId)}
                    </Link>
                  </>
                ) : (
                  <>Creates the task “{String(routine.task?.title ?? 'untitled')}”</>
                )}{' '}
                on <code className="font-mono">{routine.schedule}</code> ({routine.timezone})
              </p>
              <p className="font-mono text-xs">
                Next run:{' '}
                {routine.enabled && routine.nextRunAt ? (
                  <>
                    {relativeTime(routine.nextRunAt, now)} · {formatDateTime(routine.nextRunAt)}
                  </>
                ) : (
                  'none while disabled'
                )}
                {' · '}Last run:{' '}
                {routine.lastRunAt ? (
                  <span title={formatDateTime(routine.lastRunAt)}>{relativeTime(routine.lastRunAt, now)}</span>
                ) : (
                  'never'
                )}
              </p>
            </AutomationCard>
          ))}
        </ul>
      )}
      {editing ? (
        <RoutineDialog
          key={editing === 'new' ? 'new' : editing.id}
          routine={editing === 'new' ? null : editing}
          open
          onOpenChange={(open) => !open && setEditing(null)}
        />
      ) : null}
    </div>
  );
}
