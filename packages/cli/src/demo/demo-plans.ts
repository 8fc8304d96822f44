import type { Task } from '@mission-control/contracts';

/** One agent of the demo squad. */
export interface SquadMember {
  key: 'lead' | 'researcher' | 'writer' | 'engineer' | 'reviewer';
  name: string;
  role: string;
  kind: 'lead' | 'specialist' | 'reviewer';
  capabilities: string[];
}

/** The demo squad: a lead, three specialists and a reviewer. Scripted agents say so in their names. */
export function demoSquad(scripted: boolean): SquadMember[] {
  const prefix = scripted ? 'scripted-' : '';
  const label = scripted ? ' (scripted)' : '';
  return [
    { key: 'lead', name: `${prefix}atlas`, role: `lead${label}`, kind: 'lead', capabilities: ['planning'] },
    { key: 'researcher', name: `${prefix}iris`, role: `researcher${label}`, kind: 'specialist', capabilities: ['research'] },
    { key: 'writer', name: `${prefix}quill`, role: `writer${label}`, kind: 'specialist', capabilities: ['writing'] },
    { key: 'engineer', name: `${prefix}forge`, role: `engineer${label}`, kind: 'specialist', capabilities: ['code'] },
    { key: 'reviewer', name: `${prefix}vera`, role: `reviewer${label}`, kind: 'reviewer', capabilities: ['review'] },
  ];
}

export const demoGoal = {
  title: 'Launch plan for the v1 release',
  description:
    'Produce a short launch plan for v1: what users need to know, a tested upgrade path, and the announcement text. ' +
    'Break it down, work it, review it, and close it when everything is done.',
  priority: 'high' as const,
  requiredCapabilities: ['planning'],
};

/** The goal that arrives a while after the first, so a visitor who comes late still sees the squad plan and work. */
export const secondDemoGoal = {
  title: 'Follow-up plan for v1.1',
  description:
    'Collect what early users said about v1, fix the most reported bug, and write the v1.1 release notes. ' +
    'Break it down, work it, review it, and close it when everything is done.',
  priority: 'medium' as const,
  requiredCapabilities: ['planning'],
};

/** One subtask of a plan; `dependsOn` holds the indexes of earlier steps. */
export interface PlanStep {
  title: string;
  requiredCapabilities: string[];
  dependsOn: number[];
  deliverable: string;
}

/** The plans the scripted lead makes of the demo goals: what a model would be asked to come up with. */
const scriptedPlans: Record<string, PlanStep[]> = {
  [demoGoal.title]: [
    {
      title: 'Research what changed since the beta',
      requiredCapabilities: ['research'],
      dependsOn: [],
      deliverable: 'Changes since the beta',
    },
    { title: 'Test the upgrade path from the beta', requiredCapabilities: ['code'], dependsOn: [], deliverable: 'Upgrade test report' },
    { title: 'Write the launch announcement', requiredCapabilities: ['writing'], dependsOn: [0, 1], deliverable: 'Launch announcement' },
  ],
  [secondDemoGoal.title]: [
    { title: 'Sum up the feedback on v1', requiredCapabilities: ['research'], dependsOn: [], deliverable: 'Feedback on v1' },
    { title: 'Fix the most reported v1 bug', requiredCapabilities: ['code'], dependsOn: [], deliverable: 'Bug fix notes' },
    { title: 'Write the v1.1 release notes', requiredCapabilities: ['writing'], dependsOn: [0, 1], deliverable: 'v1.1 release notes' },
  ],
};

/** The plan for a goal: the script's own for the demo goals, research then a write-up for any other. */
export function planOf(goal: Pick<Task, 'title'>): PlanStep[] {
  const known = scriptedPlans[goal.title];
  if (known) return known;
  // Titles are at most 300 characters: leave room for the prefix.
  const subject = goal.title.length > 200 ? `${goal.title.slice(0, 199)}…` : goal.title;
  return [
    { title: `Research: ${subject}`, requiredCapabilities: ['research'], dependsOn: [], deliverable: `Notes on ${subject}` },
    { title: `Write up: ${subject}`, requiredCapabilities: ['writing'], dependsOn: [0], deliverable: subject },
  ];
}

/** The canned answer a scripted agent gives when someone @mentions it: honest about being a script. */
export function mentionReply(member: Pick<SquadMember, 'kind' | 'capabilities'>): string {
  const offer =
    member.kind === 'lead'
      ? 'give me a task that needs "planning" and I will break it into subtasks for the squad'
      : member.kind === 'reviewer'
        ? 'move a task to review and I will look at it'
        : `create a task that needs "${member.capabilities.join('", "')}" and I will pick it up`;
  return `Thanks for the mention! I am a scripted demo agent, so this is a canned reply and I cannot read the rest of the thread: ${offer}.`;
}
