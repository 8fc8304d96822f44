import type { WorkflowRunStatus, WorkflowStepStatus } from '@mission-control/contracts';

type AnyStatus = WorkflowRunStatus | WorkflowStepStatus;

export const stepStatusLabel: Record<AnyStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  waiting: 'Waiting',
  done: 'Done',
  completed: 'Completed',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

/** The colour of a status: black text on every fill, so both themes keep their contrast. */
export const statusColors: Record<AnyStatus, { background: string; color: string }> = {
  pending: { background: 'var(--color-paper)', color: 'var(--color-ink)' },
  running: { background: 'var(--color-status-idle)', color: '#000000' },
  waiting: { background: 'var(--color-status-idle)', color: '#000000' },
  done: { background: 'var(--color-status-active)', color: '#000000' },
  completed: { background: 'var(--color-status-active)', color: '#000000' },
  failed: { background: 'var(--color-status-blocked)', color: '#000000' },
  skipped: { background: 'var(--color-status-offline)', color: '#000000' },
  cancelled: { background: 'var(--color-status-offline)', color: '#000000' },
};

/** Status is colour and word together, for people who cannot tell the colours apart. */
export function StatusBadge({ status }: { status: AnyStatus }) {
  return (
    <span className="inline-block border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase" style={statusColors[status]}>
      {stepStatusLabel[status]}
    </span>
  );
}

export const stepKindLabel: Record<string, string> = {
  task: 'Task',
  condition: 'Condition',
  approval: 'Approval',
  delay: 'Delay',
  workflow: 'Sub-workflow',
  notify: 'Notification',
  message: 'Message',
  http: 'HTTP request',
};
