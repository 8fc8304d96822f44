import type { AgentStatus, TaskPriority, TaskStatus } from '@mission-control/contracts';
import { statusLabels } from '../lib/format';

const agentStatusClass: Record<AgentStatus, string> = {
  idle: 'bg-status-idle text-black',
  active: 'bg-status-active text-black',
  blocked: 'bg-status-blocked text-black',
  offline: 'bg-status-offline text-black',
};

/** Status is color and text together: the text carries it for people who cannot tell the colors apart. */
export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return (
    <span className={`inline-block border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase ${agentStatusClass[status]}`}>
      {status}
    </span>
  );
}

const priorityClass: Record<TaskPriority, string> = {
  low: 'bg-paper text-ink',
  medium: 'bg-paper-alt text-ink',
  high: 'bg-status-idle text-black',
  urgent: 'bg-signal text-black',
};

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  return (
    <span className={`inline-block border-2 border-ink px-1 font-mono text-[0.65rem] font-bold uppercase ${priorityClass[priority]}`}>
      {priority}
    </span>
  );
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const tone =
    status === 'done'
      ? 'bg-status-active text-black'
      : status === 'blocked' || status === 'failed'
        ? 'bg-status-blocked text-black'
        : 'bg-paper';
  return (
    <span className={`inline-block border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase ${tone}`}>
      {statusLabels[status]}
    </span>
  );
}
