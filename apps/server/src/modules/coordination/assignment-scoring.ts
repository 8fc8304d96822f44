import type { Agent, AssignmentCandidate, Task } from '@mission-control/contracts';

/** What the scorer knows of an agent beyond its profile: its load and its record on similar work. */
export interface AgentRecord {
  /** Open tasks assigned to it (assigned or in progress). */
  openTasks: number;
  /** Similar tasks (sharing a required capability) it finished, and those it failed or gave up, recently. */
  similarDone: number;
  similarFailed: number;
  /** Median hours from creation to done on those similar tasks; null without history. */
  medianHoursToDone: number | null;
}

/** The weights of the score; they add up to 100. */
export const assignmentWeights = { capability: 50, load: 20, success: 20, speed: 10 } as const;

/**
 * Scores every agent for a task, deterministically (the same inputs always give the same order,
 * ties broken by name): capability match, free capacity against the concurrency limit, success
 * rate and speed on similar tasks. An agent missing a required capability or at its concurrency
 * limit is not eligible. Reasons say how each part was earned, so a choice can be explained.
 */
export function scoreAgentsForTask(
  task: Pick<Task, 'requiredCapabilities'>,
  agents: readonly Agent[],
  records: ReadonlyMap<string, AgentRecord>,
  workspaceMedianHours: number | null,
): AssignmentCandidate[] {
  const required = task.requiredCapabilities;
  const candidates = agents.map((agent) => {
    const record = records.get(agent.id) ?? { openTasks: 0, similarDone: 0, similarFailed: 0, medianHoursToDone: null };
    const reasons: string[] = [];
    const covered = required.filter((capability) => agent.capabilities.includes(capability));
    const capabilityShare = required.length === 0 ? 1 : covered.length / required.length;
    reasons.push(required.length === 0 ? 'no capability required' : `has ${covered.length}/${required.length} required capabilities`);

    const freeShare = Math.max(0, 1 - record.openTasks / agent.concurrencyLimit);
    reasons.push(`${record.openTasks}/${agent.concurrencyLimit} of its concurrency in use`);

    const attempts = record.similarDone + record.similarFailed;
    // Without history an agent is neither rewarded nor punished: it gets the middle.
    const successRate = attempts === 0 ? 0.5 : record.similarDone / attempts;
    reasons.push(attempts === 0 ? 'no record on similar tasks' : `finished ${record.similarDone}/${attempts} similar tasks`);

    let speed = 0.5;
    if (record.medianHoursToDone !== null && workspaceMedianHours !== null && workspaceMedianHours > 0) {
      // Twice as fast as the workspace median scores 1, twice as slow scores 0.
      speed = Math.min(1, Math.max(0, 0.5 + 0.5 * Math.log2(workspaceMedianHours / Math.max(record.medianHoursToDone, 0.01))));
      reasons.push(`median ${record.medianHoursToDone.toFixed(1)} h on similar tasks (workspace ${workspaceMedianHours.toFixed(1)} h)`);
    }

    const score =
      assignmentWeights.capability * capabilityShare +
      assignmentWeights.load * freeShare +
      assignmentWeights.success * successRate +
      assignmentWeights.speed * speed;
    const atCapacity = record.openTasks >= agent.concurrencyLimit;
    const eligible = capabilityShare === 1 && !atCapacity && agent.kind === 'specialist';
    if (atCapacity) reasons.push('at its concurrency limit');
    if (agent.kind !== 'specialist') reasons.push(`a ${agent.kind}, not a specialist`);
    if (agent.status === 'offline') reasons.push('offline');
    return {
      agentId: agent.id,
      name: agent.name,
      eligible,
      score: Math.round(score * 100) / 100,
      reasons,
      offline: agent.status === 'offline',
    };
  });
  return candidates
    .sort(
      (left, right) =>
        Number(right.eligible) - Number(left.eligible) ||
        Number(left.offline) - Number(right.offline) ||
        right.score - left.score ||
        left.name.localeCompare(right.name),
    )
    .map(({ offline: _offline, ...candidate }) => candidate);
}
