import type { HeartbeatResponse, Task } from '@mission-control/contracts';
import { type FetchFunction, isMissionControlError, MissionControl } from '@mission-control/sdk';
import { mentionReply, planOf, type SquadMember } from './demo-plans.js';

export { demoGoal, demoSquad, type SquadMember, secondDemoGoal } from './demo-plans.js';

export interface ScriptedSquadOptions {
  baseUrl: string;
  /** The squad and each member's API key, by member key. */
  squad: readonly SquadMember[];
  apiKeys: Record<SquadMember['key'], string>;
  /** The first goal: with `untilGoalDone` the squad stops once it is done. */
  goalId: string;
  fetch?: FetchFunction;
  /** Pause between an agent's actions, so people watching see the board move (0 in tests). */
  stepDelayMs: number;
  /** Pause between two rounds of the whole squad; every round each agent heartbeats. */
  roundDelayMs?: number;
  /** Stop once the first goal is done (tests, `--exit`); otherwise keep working until the signal aborts. */
  untilGoalDone?: boolean;
  /** Called with a line for each thing an agent does. */
  log?: (line: string) => void;
  /**
   * Called when an agent's turn fails for another reason than someone moving first; the squad
   * carries on (a demo left running for hours should not die of one odd task). Thrown when absent.
   */
  onError?: (agentName: string, error: unknown) => void;
  signal?: AbortSignal;
}

/** Waits, or stops waiting as soon as the signal aborts. */
export function sleep(milliseconds: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    if (milliseconds <= 0 || signal?.aborted) return resolve();
    // The listener goes with the timer: a squad that runs for hours sleeps thousands of times.
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

interface ScriptedAgent {
  member: SquadMember;
  client: MissionControl;
}

/** True for the errors a busy board gives a scripted agent: someone else moved first. */
function isRace(error: unknown): boolean {
  return isMissionControlError(error) && (error.status === 409 || error.status === 404);
}

/**
 * Scripted agents for the demo without a model: each one drives the real API through the SDK
 * with its own key, exactly as a model would through its tools (heartbeat, claim, messages,
 * documents, status), following a fixed script. The lead plans every goal that needs planning,
 * specialists take whatever the board has for their capabilities (anyone's tasks, not only the
 * script's), the reviewer approves what waits for review, and everyone answers @mentions.
 */
export async function runScriptedSquad(options: ScriptedSquadOptions): Promise<void> {
  const agents = options.squad.map((member) => ({
    member,
    client: new MissionControl({
      baseUrl: options.baseUrl,
      apiKey: options.apiKeys[member.key],
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  }));
  const log = options.log ?? (() => {});
  const pause = () => sleep(options.stepDelayMs, options.signal);
  const label = (agent: ScriptedAgent) =>
    `${agent.member.name} (${agent.member.kind === 'specialist' ? agent.member.key : agent.member.kind})`;

  /** Answers each @mention in its thread, and marks every notification read so "has work" means work. */
  const readNotifications = async (agent: ScriptedAgent, beat: HeartbeatResponse) => {
    for (const notification of beat.notifications.latest) {
      if (notification.reason === 'mentioned' && notification.taskId) {
        const handle = `@${agent.member.name.toLowerCase()}`;
        const recent = await agent.client.messages.list(notification.taskId, { order: 'desc', limit: 20 }).toArray(20);
        const mention = recent.find((message) => message.author.id !== beat.agent.id && message.content.toLowerCase().includes(handle));
        await agent.client.messages.post(notification.taskId, {
          content: mentionReply(agent.member),
          type: 'comment',
          replyToId: mention?.id ?? null,
        });
        log(`${label(agent)} answers a mention`);
      }
      await agent.client.notifications.markRead(notification.id);
    }
  };

  const planGoal = async (lead: ScriptedAgent, goal: Task, leadId: string) => {
    log(`${label(lead)} breaks ${goal.key} into subtasks`);
    const plan = planOf(goal);
    await lead.client.messages.post(goal.id, {
      content: `Planning: ${plan.map((step) => step.title.toLowerCase()).join('; ')}.`,
      type: 'status_update',
    });
    const created: Task[] = [];
    for (const step of plan) {
      let task = await lead.client.tasks.create({
        title: step.title,
        description: `Deliverable: a document "${step.deliverable}".`,
        requiredCapabilities: step.requiredCapabilities,
        parentId: goal.id,
        dependencyIds: step.dependsOn.map((index) => created[index]?.id ?? '').filter(Boolean),
      });
      if (step.dependsOn.length === 0) {
        const assigned = await lead.client.runtime.assignBest(task.id);
        task = assigned.task;
        log(`  ${task.key} ${task.title} → ${assigned.chosen?.name ?? 'nobody yet'}`);
      } else {
        log(`  ${task.key} ${task.title} → waits for its dependencies`);
      }
      created.push(task);
      await pause();
    }
    await lead.client.tasks.assign(goal.id, [{ kind: 'agent', id: leadId }]);
  };

  const leadTurn = async (lead: ScriptedAgent) => {
    const beat = await lead.client.agents.heartbeat({ status: 'active' });
    await readNotifications(lead, beat);
    if ((beat.lead?.inboxCount ?? 0) > 0) {
      const inbox = await lead.client.tasks.list({ status: 'inbox', limit: 50 }).toArray(50);
      for (const goal of inbox) {
        if (goal.parentId === null && goal.requiredCapabilities.includes('planning')) await planGoal(lead, goal, beat.agent.id);
      }
    }
    for (const goal of beat.assignedTasks) {
      if (goal.status !== 'assigned' && goal.status !== 'in_progress') continue;
      const subtasks = await lead.client.tasks.list({ parentId: goal.id, limit: 50 }).toArray(50);
      // Someone handed the lead a task of its own: it plans it like a goal from the inbox.
      if (subtasks.length === 0 && goal.status === 'assigned' && goal.parentId === null) {
        await planGoal(lead, goal, beat.agent.id);
        continue;
      }
      if (subtasks.length === 0 || !subtasks.every((task) => task.status === 'done')) continue;
      log(`${label(lead)} closes ${goal.key}: every subtask is done and reviewed`);
      if (goal.status === 'assigned')
        await lead.client.tasks.updateStatus(goal.id, { status: 'in_progress', reason: 'checking the results' });
      await lead.client.messages.post(goal.id, { content: 'All subtasks are done and reviewed. Closing the goal.', type: 'status_update' });
      await lead.client.tasks.updateStatus(goal.id, { status: 'done', reason: 'every subtask is done' });
    }
  };

  const specialistTurn = async (specialist: ScriptedAgent) => {
    const beat = await specialist.client.agents.heartbeat({});
    await readNotifications(specialist, beat);
    if (!beat.hasWork) return;
    const claimed = await specialist.client.tasks.claimNext({});
    if (!claimed) return;
    const { task, lease } = claimed;
    log(`${label(specialist)} claims ${task.key} ${task.title}`);
    await specialist.client.messages.post(task.id, {
      content: `On it: ${task.title.toLowerCase()}.`,
      type: 'status_update',
      leaseToken: lease.token,
    });
    await pause();
    const deliverable = /Deliverable: a document "([^"]+)"/.exec(task.description)?.[1] ?? task.title;
    await specialist.client.documents.create({
      title: deliverable,
      content: `# ${deliverable}\n\nWritten by ${beat.agent.name} for ${task.key}.\n\n- Finding one\n- Finding two\n- Recommendation\n`,
      taskId: task.id,
    });
    log(`${label(specialist)} writes "${deliverable}"`);
    await pause();
    const toReview = specialist.member.capabilities.includes('writing');
    await specialist.client.tasks.updateStatus(task.id, {
      status: toReview ? 'review' : 'done',
      reason: 'deliverable written',
      leaseToken: lease.token,
    });
    log(`${label(specialist)} moves ${task.key} to ${toReview ? 'review' : 'done'}`);
  };

  const reviewerTurn = async (reviewer: ScriptedAgent) => {
    const beat = await reviewer.client.agents.heartbeat({});
    await readNotifications(reviewer, beat);
    const waiting = await reviewer.client.tasks.list({ status: 'review', limit: 20 }).toArray(20);
    for (const task of waiting) {
      log(`${label(reviewer)} approves ${task.key}`);
      await reviewer.client.messages.post(task.id, { content: 'Approved: clear, accurate, ready to publish.', type: 'comment' });
      await reviewer.client.tasks.updateStatus(task.id, { status: 'done', reason: 'approved in review' });
      await pause();
    }
  };

  const turnOf = (agent: ScriptedAgent) =>
    agent.member.kind === 'lead' ? leadTurn(agent) : agent.member.kind === 'reviewer' ? reviewerTurn(agent) : specialistTurn(agent);
  const [lead] = agents;
  if (!lead) return;
  while (!options.signal?.aborted) {
    for (const agent of agents) {
      if (options.signal?.aborted) return;
      try {
        await turnOf(agent);
      } catch (error) {
        // People move cards too: a task someone else took or changed is simply left to them.
        if (isRace(error)) continue;
        if (!options.onError) throw error;
        options.onError(agent.member.name, error);
      }
    }
    if (options.untilGoalDone) {
      const goal = await lead.client.tasks.get(options.goalId);
      if (goal.status === 'done') {
        log(`goal ${goal.key} is done`);
        return;
      }
    }
    await sleep(Math.max(options.roundDelayMs ?? options.stepDelayMs, 50), options.signal);
  }
}
