import type { Routine } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { useWorkflows } from '../workflows/workflows-api';
import { AutomationCard, AutomationPage } from './automation-parts';
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
    <>
      <AutomationPage
        title="Routines"
        newLabel="New routine"
        onNew={() => setEditing('new')}
        failure={failure}
        query={routines}
        what="the routines"
        emptyTitle="No routines yet"
        emptyText="A routine runs a workflow or creates a task on a schedule, such as the daily standup."
      >
        {(items) =>
          items.map((routine) => (
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
          ))
        }
      </AutomationPage>
      {editing ? (
        <RoutineDialog
          key={editing === 'new' ? 'new' : editing.id}
          routine={editing === 'new' ? null : editing}
          open
          onOpenChange={(open) => !open && setEditing(null)}
        />
      ) : null}
    </>
  );
}
