import type { PrincipalReference } from '@mission-control/contracts';
import { usePrincipalDirectory } from '../people/people-api';
import { useAgentStates } from '../stats/overview-api';

/** "a", "a and b", "a, b and c". */
function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Warns, while someone is being chosen, that a chosen agent is offline: the task would sit
 * untouched until the agent heartbeats again. Assigning stays possible (it may be back soon).
 */
export function OfflineAssigneeWarning({ assignees }: { assignees: readonly PrincipalReference[] }) {
  const states = useAgentStates();
  const directory = usePrincipalDirectory();
  const offline = assignees.filter((assignee) => assignee.kind === 'agent' && states.get(assignee.id)?.status === 'offline');
  if (offline.length === 0) return null;
  const one = offline.length === 1;
  return (
    <p role="status" className="border-2 border-ink bg-status-idle p-2 text-sm font-bold text-black" data-testid="offline-assignee-warning">
      {joinNames(offline.map((assignee) => directory.nameOf(assignee)))} {one ? 'is' : 'are'} offline: {one ? 'it' : 'they'} will not pick
      this up until {one ? 'it is' : 'they are'} back. Assign anyway, or choose someone who is working.
    </p>
  );
}
