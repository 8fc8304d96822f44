import { type PrincipalReference, type Task, taskTransitions } from '@mission-control/contracts';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PriorityBadge, TaskStatusBadge } from '../../components/badges';
import { Dialog } from '../../components/dialog';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, plural, relativeTime, statusLabels } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { ActivityFeed } from '../activity/activity-feed';
import { formatCost, useUsage } from '../agents/agent-runtime-api';
import { OfflineAssigneeWarning } from '../agents/offline-assignee-warning';
import { useMoveTask } from '../board/use-move-task';
import { useDocuments } from '../documents/documents-api';
import { Markdown } from '../markdown/markdown';
import { MessageThread } from '../messages/message-thread';
import { usePrincipalDirectory } from '../people/people-api';
import { TaskRuns } from '../runs/task-runs';
import { useAgentStates } from '../stats/overview-api';
import { TaskAttachments } from './task-attachments';
import { TaskForm } from './task-form';
import { useAssignTask, useSubtasks, useTask } from './tasks-api';

/** The task detail drawer, opened anywhere with ?task=<key or id>. */
export default function TaskDrawer({ reference }: { reference: string }) {
  const [parameters, setParameters] = useSearchParams();
  const task = useTask(reference);
  const close = () => {
    const next = new URLSearchParams(parameters);
    next.delete('task');
    setParameters(next);
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && close()}
      title={task.data ? `${task.data.key} · ${task.data.title}` : reference}
      variant="drawer"
    >
      {task.isPending ? <SkeletonList rows={6} className="h-12" /> : null}
      {task.isError ? <ErrorState error={task.error} what={`task ${reference}`} onRetry={() => void task.refetch()} /> : null}
      {task.data ? <TaskDetail task={task.data} /> : null}
    </Dialog>
  );
}

function TaskDetail({ task }: { task: Task }) {
  const [editing, setEditing] = useState(false);
  const directory = usePrincipalDirectory();
  const states = useAgentStates();
  const moveTask = useMoveTask();
  const assign = useAssignTask(task.id);
  const subtasks = useSubtasks(task.id);
  const documents = useDocuments({ taskId: task.id });
  const [adding, setAdding] = useState('');

  const setAssignees = async (assignees: PrincipalReference[]) => {
    try {
      await assign.mutateAsync(assignees);
    } catch (failure) {
      showToast(describeError(failure), 'error');
    }
  };
  const unassigned = directory.entries.filter((entry) => !task.assignees.some((each) => each.id === entry.reference.id));

  return (
    <div className="flex flex-col gap-5">
      <section className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Task facts">
        <Fact label="Status">
          <TaskStatusBadge status={task.status} />
        </Fact>
        <Fact label="Priority">
          <PriorityBadge priority={task.priority} />
        </Fact>
        <Fact label="Due">
          <DueAt dueAt={task.dueAt} />
        </Fact>
        <Fact label="Created">{formatDateTime(task.createdAt)}</Fact>
      </section>

      <TaskUsage taskId={task.id} />

      <TaskRuns taskId={task.id} />

      <section aria-label="Move">
        <h3 className="brutal-label">Move to</h3>
        <div className="flex flex-wrap gap-2">
          {taskTransitions[task.status].map((status) => (
            <button
              key={status}
              type="button"
              className="brutal-button"
              disabled={moveTask.isPending}
              onClick={() => moveTask.mutate({ task, to: status })}
            >
              {statusLabels[status]}
            </button>
          ))}
        </div>
      </section>

      <section aria-label="Assignees">
        <h3 className="brutal-label">Assignees</h3>
        <ul className="flex flex-wrap gap-2">
          {task.assignees.length === 0 ? <li className="font-mono text-sm text-ink-muted">Nobody yet</li> : null}
          {task.assignees.map((assignee) => (
            <li key={assignee.id} className="flex items-center gap-1 border-2 border-ink px-2 py-0.5 font-bold">
              {directory.nameOf(assignee)}
              <button
                type="button"
                aria-label={`Unassign ${directory.nameOf(assignee)}`}
                className="ml-1 font-black"
                onClick={() => void setAssignees(task.assignees.filter((each) => each.id !== assignee.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <form
          className="mt-2 flex gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const entry = unassigned.find((each) => each.reference.id === adding);
            if (entry) void setAssignees([...task.assignees, entry.reference]).then(() => setAdding(''));
          }}
        >
          <label className="sr-only" htmlFor="add-assignee">
            Add assignee
          </label>
          <select id="add-assignee" className="brutal-input max-w-xs" value={adding} onChange={(event) => setAdding(event.target.value)}>
            <option value="">Add someone…</option>
            {unassigned.map((entry) => (
              <option key={entry.reference.id} value={entry.reference.id}>
                {entry.name} ({entry.reference.kind === 'agent' ? 'agent' : 'person'}
                {entry.reference.kind === 'agent' && states.get(entry.reference.id)?.status === 'offline' ? ', offline' : ''})
              </option>
            ))}
          </select>
          <button type="submit" className="brutal-button" disabled={!adding || assign.isPending}>
            Assign
          </button>
        </form>
        <div className="mt-2 empty:hidden">
          <OfflineAssigneeWarning assignees={unassigned.filter((entry) => entry.reference.id === adding).map((entry) => entry.reference)} />
        </div>
      </section>

      <section aria-label="Description">
        <div className="flex items-center justify-between">
          <h3 className="brutal-label">Description</h3>
          <button type="button" className="brutal-button" onClick={() => setEditing((value) => !value)}>
            {editing ? 'Cancel edit' : 'Edit'}
          </button>
        </div>
        {editing ? (
          <TaskForm task={task} onDone={() => setEditing(false)} />
        ) : task.description ? (
          <Markdown>{task.description}</Markdown>
        ) : (
          <p className="font-mono text-sm text-ink-muted">No description.</p>
        )}
        {task.requiredCapabilities.length > 0 ? (
          <p className="mt-2 flex flex-wrap gap-1 font-mono text-xs">
            {task.requiredCapabilities.map((capability) => (
              <span key={capability} className="border border-ink px-1">
                {capability}
              </span>
            ))}
          </p>
        ) : null}
      </section>

      <section aria-label="Subtasks and dependencies" className="grid gap-3 sm:grid-cols-2">
        <div>
          <h3 className="brutal-label">Subtasks</h3>
          {subtasks.isPending ? <SkeletonList rows={2} className="h-8" /> : null}
          {subtasks.data?.data.length === 0 ? <p className="font-mono text-sm text-ink-muted">None</p> : null}
          <ul className="flex flex-col gap-1">
            {subtasks.data?.data.map((subtask) => (
              <li key={subtask.id}>
                <Link to={`?task=${subtask.key}`} className="font-mono text-sm underline">
                  {subtask.key}
                </Link>{' '}
                {subtask.title} <TaskStatusBadge status={subtask.status} />
              </li>
            ))}
          </ul>
          {task.parentId ? (
            <p className="mt-1 text-sm">
              Part of <TaskReferenceLink id={task.parentId} />
            </p>
          ) : null}
        </div>
        <div>
          <h3 className="brutal-label">Depends on</h3>
          {task.dependencyIds.length === 0 ? <p className="font-mono text-sm text-ink-muted">Nothing</p> : null}
          <ul className="flex flex-col gap-1">
            {task.dependencyIds.map((id) => (
              <li key={id} className="text-sm">
                <TaskReferenceLink id={id} withStatus />
              </li>
            ))}
          </ul>
        </div>
      </section>

      <section aria-label="Linked documents">
        <h3 className="brutal-label">Documents</h3>
        {documents.isError ? <ErrorState error={documents.error} what="documents" /> : null}
        {documents.data?.data.length === 0 ? <p className="font-mono text-sm text-ink-muted">No documents linked.</p> : null}
        <ul className="flex flex-col gap-1">
          {documents.data?.data.map((document) => (
            <li key={document.id}>
              <Link to={`/documents/${document.id}`} className="font-bold underline">
                {document.title}
              </Link>{' '}
              <span className="font-mono text-xs">
                {document.type} · v{document.version}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <TaskAttachments taskId={task.id} />

      <section aria-label="Thread">
        <h3 className="mb-2 border-b-[3px] border-ink text-lg font-black uppercase">Thread</h3>
        <MessageThread taskId={task.id} />
      </section>

      <section aria-label="Task activity">
        <h3 className="mb-2 border-b-[3px] border-ink text-lg font-black uppercase">Activity</h3>
        <ActivityFeed taskId={task.id} heightClass="h-64" />
      </section>
    </div>
  );
}

/** A due time as a relative time ("in 2 days"), the exact local time on hover. */
function DueAt({ dueAt }: { dueAt: string | null }) {
  const now = useNow();
  if (!dueAt) return <>—</>;
  return (
    <time dateTime={dueAt} title={formatDateTime(dueAt)}>
      {relativeTime(dueAt, now)}
    </time>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="border-2 border-ink p-2">
      <p className="brutal-label">{label}</p>
      <div className="font-mono text-sm">{children}</div>
    </div>
  );
}

/** What built-in agents spent on this task this month; nothing when no model worked on it. */
function TaskUsage({ taskId }: { taskId: string }) {
  const usage = useUsage({ taskId });
  if (!usage.data || usage.data.total.runs === 0) return null;
  const { runs, tokensIn, tokensOut, costMicroDollars } = usage.data.total;
  return (
    <p className="font-mono text-xs">
      Model usage this month: {plural(runs, 'turn')} · {plural(tokensIn + tokensOut, 'token')} · {formatCost(costMicroDollars)}
    </p>
  );
}

/** Another task named as a person reads it: "TASK-3 Write the brief", not an id fragment. */
export function TaskReferenceLink({ id, withStatus = false }: { id: string; withStatus?: boolean }) {
  const referenced = useTask(id);
  const label = referenced.data ? referenced.data.key : 'a task';
  return (
    <>
      <Link to={`?task=${referenced.data?.key ?? id}`} className="font-mono font-bold underline">
        {label}
      </Link>
      {referenced.data ? <span> {referenced.data.title}</span> : referenced.isError ? <span> (not visible to you)</span> : null}
      {withStatus && referenced.data ? (
        <>
          {' '}
          <TaskStatusBadge status={referenced.data.status} />
        </>
      ) : null}
    </>
  );
}
