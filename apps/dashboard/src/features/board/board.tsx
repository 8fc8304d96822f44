import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { boardColumns, type PrincipalReference, type Task, type TaskStatus } from '@mission-control/contracts';
import { useCallback, useMemo, useState } from 'react';
import { ErrorState, Skeleton } from '../../components/states';
import { statusLabels } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { usePrincipalDirectory } from '../people/people-api';
import { useBoardTasks } from '../tasks/tasks-api';
import { useWorkspace } from '../workspace-settings/workspace-api';
import { AssignDialog } from './assign-dialog';
import { AttentionStrip } from './attention-strip';
import { BoardColumn, type DropHint } from './board-column';
import { BoardFilters, useBoardFilters } from './board-filters';
import { planTaskMove } from './plan-task-move';
import { TaskCard } from './task-card';
import { useMoveTask } from './use-move-task';

const announcements: Announcements = {
  onDragStart: ({ active }) => `Picked up ${String(active.data.current?.task?.key ?? 'task')}.`,
  onDragOver: ({ over }) => (over ? `Over ${statusLabels[String(over.id)] ?? String(over.id)}.` : 'Not over a column.'),
  onDragEnd: ({ active, over }) =>
    over
      ? `Dropped ${String(active.data.current?.task?.key ?? 'task')} on ${statusLabels[String(over.id)] ?? String(over.id)}.`
      : 'Dropped outside the board.',
  onDragCancel: () => 'Move cancelled.',
};

const screenReaderInstructions = {
  draggable:
    'Press Enter to open the task. To move it, press space, move it with the arrow keys, then press space again to drop it, or Escape to cancel.',
};

const keyboardCodes = { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter', 'Tab'] };

/** What each column would say to the dragged card. */
export function dropHintsFor(task: Task | null): Map<TaskStatus, DropHint> {
  const hints = new Map<TaskStatus, DropHint>();
  for (const status of boardColumns) {
    if (!task) hints.set(status, null);
    else if (task.status === status) hints.set(status, null);
    else {
      const plan = planTaskMove(task, status);
      hints.set(status, plan.kind === 'invalid' ? { accepts: false, reason: plan.message } : { accepts: true });
    }
  }
  return hints;
}

/**
 * The Kanban board: five columns, drag and drop between them, optimistic with rollback; the
 * filters above it live in the URL.
 */
export function Board({ filter }: { filter?: (task: Task) => boolean }) {
  const board = useBoardTasks();
  const filters = useBoardFilters();
  const { matches } = filters;
  const directory = usePrincipalDirectory();
  const workspace = useWorkspace();
  const wipLimits: Partial<Record<TaskStatus, number>> = workspace.data?.wipLimits ?? {};
  const moveTask = useMoveTask();
  const [dragging, setDragging] = useState<Task | null>(null);
  const [pendingAssign, setPendingAssign] = useState<{ task: Task; to: TaskStatus } | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    // Enter opens a card; space alone picks it up.
    useSensor(KeyboardSensor, { keyboardCodes }),
  );

  const { byColumn, totals, attention, hiddenCount } = useMemo(() => {
    const columns = new Map<TaskStatus, Task[]>(boardColumns.map((status) => [status, []]));
    const counts = new Map<TaskStatus, number>();
    const needsAttention: Task[] = [];
    let hidden = 0;
    for (const task of board.data ?? []) {
      counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
      if (filter && !filter(task)) continue;
      if (!matches(task)) {
        hidden += 1;
        continue;
      }
      if (task.status === 'blocked' || task.status === 'failed') needsAttention.push(task);
      else columns.get(task.status)?.push(task);
    }
    return { byColumn: columns, totals: counts, attention: needsAttention, hiddenCount: hidden };
  }, [board.data, filter, matches]);
  const hints = useMemo(() => dropHintsFor(dragging), [dragging]);

  const { nameOf } = directory;
  const assigneeNamesOf = useCallback((task: Task) => task.assignees.map((each) => nameOf(each)).join(', '), [nameOf]);

  const onDragStart = (event: DragStartEvent) => setDragging((board.data ?? []).find((each) => each.id === event.active.id) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setDragging(null);
    const task = (board.data ?? []).find((each) => each.id === event.active.id);
    const to = event.over?.id;
    if (!task || typeof to !== 'string' || !(boardColumns as readonly string[]).includes(to)) return;
    const target = to as TaskStatus;
    const plan = planTaskMove(task, target);
    if (plan.kind === 'unchanged') return;
    if (plan.kind === 'invalid') {
      showToast(plan.message, 'error');
      return;
    }
    if (plan.kind === 'needs-assignee') {
      setPendingAssign({ task, to: target });
      return;
    }
    moveTask.mutate({ task, to: target });
  };

  if (board.isPending) {
    return (
      <div className="grid grid-cols-1 gap-3 md:grid-cols-5" aria-busy="true">
        {boardColumns.map((status) => (
          <Skeleton key={status} className="h-72" label={`Loading ${statusLabels[status]}`} />
        ))}
      </div>
    );
  }
  if (board.isError) return <ErrorState error={board.error} what="the board" onRetry={() => void board.refetch()} />;

  return (
    <>
      <BoardFilters filters={filters} tasks={board.data ?? []} hiddenCount={hiddenCount} />
      <DndContext
        sensors={sensors}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
        accessibility={{ announcements, screenReaderInstructions }}
      >
        <AttentionStrip tasks={attention} assigneeNamesOf={assigneeNamesOf} />
        <div className="scroll-hint flex items-start gap-3 overflow-x-auto pb-2" data-testid="board" data-board="">
          {boardColumns.map((status) => (
            <BoardColumn
              key={status}
              status={status}
              tasks={byColumn.get(status) ?? []}
              assigneeNamesOf={assigneeNamesOf}
              dropHint={hints.get(status) ?? null}
              limit={wipLimits[status]}
              total={totals.get(status) ?? 0}
            />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragging ? <TaskCard task={dragging} assigneeNames={assigneeNamesOf(dragging)} overlay /> : null}
        </DragOverlay>
      </DndContext>
      <AssignDialog
        pending={pendingAssign}
        onCancel={() => setPendingAssign(null)}
        onConfirm={(assignees: PrincipalReference[]) => {
          if (pendingAssign) moveTask.mutate({ task: pendingAssign.task, to: pendingAssign.to, assignees });
          setPendingAssign(null);
        }}
      />
    </>
  );
}
