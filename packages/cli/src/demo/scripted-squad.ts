import type { Task } from '@mission-control/contracts';
import { type FetchFunction, isMissionControlError, MissionControl } from '@mission-control/sdk';

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

/** The plan the scripted lead makes of the goal: what a model would be asked to come up with. */
const scriptedPlan = [
  {
    title: 'Research what changed since the beta',
    requiredCapabilities: ['research'],
    dependsOn: [] as number[],
    deliverable: 'Changes since the beta',
  },
  { title: 'Test the upgrade path from the beta', requiredCapabilities: ['code'], dependsOn: [], deliverable: 'Upgrade test report' },
  { title: 'Write the launch announcement', requiredCapabilities: ['writing'], dependsOn: [0, 1], deliverable: 'Launch announcement' },
];

export interface ScriptedSquadOptions {
  baseUrl: string;
  /** Each member's API key, by member key. */
  apiKeys: Record<SquadMember['key'], string>;
  goalId: string;
  fetch?: FetchFunction;
  /** Pause between an agent's actions, so people watching see the board move (0 in tests). */
  stepDelayMs: number;
  /** Called with a line for each thing an agent does. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

function sleep(milliseconds: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    if (milliseconds <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Scripted agents for the demo without a model: each one drives the real API through the SDK
 * with its own key, exactly as a model would through its tools (heartbeat, claim, messages,
 * documents, status), following a fixed script. Resolves when the goal is done.
 */
export async function runScriptedSquad(options: ScriptedSquadOptions): Promise<void> {
  const client = (key: SquadMember['key']) =>
    new MissionControl({ baseUrl: options.baseUrl, apiKey: options.apiKeys[key], ...(options.fetch ? { fetch: options.fetch } : {}) });
  const lead = client('lead');
  const reviewer = client('reviewer');
  const specialists = (['researcher', 'writer', 'engineer'] as const).map((key) => ({ key, client: client(key) }));
  const log = options.log ?? (() => {});
  const pause = () => sleep(options.stepDelayMs, options.signal);
  let planned = false;

  const leadTurn = async () => {
    const beat = await lead.agents.heartbeat({ status: 'active' });
    const goal = await lead.tasks.get(options.goalId);
    if (!planned && goal.status === 'inbox') {
      log('atlas (lead) breaks the goal into subtasks');
      await lead.messages.post(goal.id, {
        content: 'Planning: research, upgrade test, then the announcement once both are done.',
        type: 'status_update',
      });
      const created: Task[] = [];
      for (const step of scriptedPlan) {
        let task = await lead.tasks.create({
          title: step.title,
          description: `Deliverable: a document "${step.deliverable}".`,
          requiredCapabilities: step.requiredCapabilities,
          parentId: goal.id,
          dependencyIds: step.dependsOn.map((index) => created[index]?.id ?? '').filter(Boolean),
        });
        if (step.dependsOn.length === 0) {
          const assigned = await lead.runtime.assignBest(task.id);
          task = assigned.task;
          log(`  ${task.key} ${task.title} → ${assigned.chosen?.name ?? 'nobody yet'}`);
        } else {
          log(`  ${task.key} ${task.title} → waits for its dependencies`);
        }
        created.push(task);
        await pause();
      }
      await lead.tasks.assign(goal.id, [{ kind: 'agent', id: beat.agent.id }]);
      planned = true;
      return;
    }
    const subtasks = await lead.tasks.list({ parentId: goal.id, limit: 50 }).toArray(50);
    if (planned && subtasks.length > 0 && subtasks.every((task) => task.status === 'done') && goal.status !== 'done') {
      log('atlas (lead) closes the goal: every subtask is done and reviewed');
      if (goal.status === 'assigned') await lead.tasks.updateStatus(goal.id, { status: 'in_progress', reason: 'checking the results' });
      await lead.messages.post(goal.id, { content: 'All subtasks are done and reviewed. Closing the goal.', type: 'status_update' });
      await lead.tasks.updateStatus(goal.id, { status: 'done', reason: 'every subtask is done' });
      await lead.notifications.markAllRead();
    }
  };

  const specialistTurn = async (member: { key: SquadMember['key']; client: MissionControl }) => {
    const beat = await member.client.agents.heartbeat({});
    if (!beat.hasWork) return;
    let claimed: Awaited<ReturnType<MissionControl['tasks']['claimNext']>>;
    try {
      claimed = await member.client.tasks.claimNext({});
    } catch (error) {
      if (isMissionControlError(error) && error.status === 409) return;
      throw error;
    }
    if (!claimed) return;
    const { task, lease } = claimed;
    const name = beat.agent.name;
    log(`${name} claims ${task.key} ${task.title}`);
    await member.client.messages.post(task.id, {
      content: `On it: ${task.title.toLowerCase()}.`,
      type: 'status_update',
      leaseToken: lease.token,
    });
    await pause();
    const deliverable = /Deliverable: a document "([^"]+)"/.exec(task.description)?.[1] ?? task.title;
    await member.client.documents.create({
      title: deliverable,
      content: `# ${deliverable}\n\nWritten by ${name} for ${task.key}.\n\n- Finding one\n- Finding two\n- Recommendation\n`,
      taskId: task.id,
    });
    log(`${name} writes "${deliverable}"`);
    await pause();
    const toReview = member.key === 'writer';
    await member.client.tasks.updateStatus(task.id, {
      status: toReview ? 'review' : 'done',
      reason: 'deliverable written',
      leaseToken: lease.token,
    });
    log(`${name} moves ${task.key} to ${toReview ? 'review' : 'done'}`);
  };

  const reviewerTurn = async () => {
    await reviewer.agents.heartbeat({});
    const waiting = await reviewer.tasks.list({ status: 'review', limit: 20 }).toArray(20);
    for (const task of waiting) {
      log(`vera (reviewer) approves ${task.key}`);
      await reviewer.messages.post(task.id, { content: 'Approved: clear, accurate, ready to publish.', type: 'comment' });
      await reviewer.tasks.updateStatus(task.id, { status: 'done', reason: 'approved in review' });
      await reviewer.notifications.markAllRead();
      await pause();
    }
  };

  for (let round = 0; round < 200 && !options.signal?.aborted; round += 1) {
    await leadTurn();
    for (const member of specialists) await specialistTurn(member);
    await reviewerTurn();
    const goal = await lead.tasks.get(options.goalId);
    if (goal.status === 'done') {
      log(`goal ${goal.key} is done`);
      return;
    }
    await sleep(Math.max(options.stepDelayMs, 50), options.signal);
  }
}
