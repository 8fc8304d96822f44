import type { Activity, Agent, Task } from '@mission-control/contracts';

export type OnboardingStepId = 'create-agent' | 'connect-agent' | 'create-task' | 'watch-move';

export interface OnboardingStep {
  id: OnboardingStepId;
  title: string;
  done: boolean;
}

/**
 * The first-run steps, each ticked from what the workspace really holds: an agent exists, one has
 * reported in (a heartbeat or anything it did), a task exists, a task left the inbox.
 */
export function listOnboardingSteps(agents: Agent[], tasks: Task[], activities: Activity[]): OnboardingStep[] {
  const agentActed = activities.some((activity) => activity.actor?.kind === 'agent');
  const taskMoved =
    tasks.some((task) => task.status !== 'inbox') ||
    activities.some((activity) => activity.type === 'task-status-changed' || activity.type === 'task-assigned');
  return [
    { id: 'create-agent', title: 'Create an agent', done: agents.length > 0 },
    { id: 'connect-agent', title: 'Connect it', done: agents.some((agent) => agent.lastHeartbeatAt !== null) || agentActed },
    {
      id: 'create-task',
      title: 'Create a task',
      done: tasks.length > 0 || activities.some((activity) => activity.type === 'task-created'),
    },
    { id: 'watch-move', title: 'Watch it move', done: taskMoved },
  ];
}

const dismissedKey = (workspaceId: string) => `mission-control:onboarding-dismissed:${workspaceId}`;

/** Whether the checklist was put away in this workspace, on this browser. */
export function isOnboardingDismissed(storage: Storage, workspaceId: string): boolean {
  try {
    return storage.getItem(dismissedKey(workspaceId)) === 'true';
  } catch {
    // Storage can be refused (private mode); the checklist then simply shows.
    return false;
  }
}

export function dismissOnboarding(storage: Storage, workspaceId: string): void {
  try {
    storage.setItem(dismissedKey(workspaceId), 'true');
  } catch {
    // Nothing to remember it in: it is dismissed for this visit only.
  }
}
