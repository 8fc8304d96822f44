import type { Agent, CostlyTask, ModelRecommendation, Task } from '@mission-control/contracts';
import { median } from '../../core/statistics.js';

/** A finished run as the recommendations read it. */
export interface RunOutcome {
  agentId: string;
  taskId: string | null;
  model: string;
  status: string;
  costMicroDollars: number;
}

interface ModelTally {
  runs: number;
  completed: number;
  costMicroDollars: number;
}

function tally(runs: readonly RunOutcome[]): Map<string, ModelTally> {
  const tallies = new Map<string, ModelTally>();
  for (const run of runs) {
    const entry = tallies.get(run.model) ?? { runs: 0, completed: 0, costMicroDollars: 0 };
    entry.runs += 1;
    if (run.status === 'completed') entry.completed += 1;
    entry.costMicroDollars += run.costMicroDollars;
    tallies.set(run.model, entry);
  }
  return tallies;
}

const rateOf = (entry: ModelTally) => entry.completed / entry.runs;
const costPerRun = (entry: ModelTally) => Math.round(entry.costMicroDollars / entry.runs);

/**
 * For each agent, the cheapest model (cost per finished run) that succeeded at least as often as
 * the agent's current model (the one it ran most) on runs touching the agent's capabilities. A run
 * touches the capabilities its task requires, or, without a task or requirements, its agent's.
 */
export function recommendModels(
  runs: readonly RunOutcome[],
  agents: readonly Agent[],
  tasks: ReadonlyMap<string, Task>,
): ModelRecommendation[] {
  const agentsById = new Map(agents.map((agent) => [agent.id, agent]));
  const capabilitiesOf = (run: RunOutcome): readonly string[] => {
    const required = run.taskId ? tasks.get(run.taskId)?.requiredCapabilities : undefined;
    return required && required.length > 0 ? required : (agentsById.get(run.agentId)?.capabilities ?? []);
  };
  const recommendations: ModelRecommendation[] = [];
  for (const agent of [...agents].sort((left, right) => left.name.localeCompare(right.name))) {
    const own = tally(runs.filter((run) => run.agentId === agent.id));
    const current = [...own.entries()].sort(
      ([leftModel, left], [rightModel, right]) =>
        right.runs - left.runs || right.costMicroDollars - left.costMicroDollars || leftModel.localeCompare(rightModel),
    )[0];
    if (!current) continue;
    const [currentModel, currentTally] = current;
    const capabilities = new Set(agent.capabilities);
    const relevant = runs.filter(
      (run) => capabilities.size === 0 || capabilitiesOf(run).some((capability) => capabilities.has(capability)),
    );
    const best = [...tally(relevant).entries()]
      .filter(
        ([model, entry]) => model !== currentModel && rateOf(entry) >= rateOf(currentTally) && costPerRun(entry) < costPerRun(currentTally),
      )
      .sort(
        ([leftModel, left], [rightModel, right]) =>
          costPerRun(left) - costPerRun(right) || rateOf(right) - rateOf(left) || leftModel.localeCompare(rightModel),
      )[0];
    if (!best) continue;
    const [recommendedModel, recommendedTally] = best;
    recommendations.push({
      agentId: agent.id,
      agentName: agent.name,
      capabilities: agent.capabilities,
      currentModel,
      currentCostPerRunMicroDollars: costPerRun(currentTally),
      currentSuccessRate: rateOf(currentTally),
      recommendedModel,
      recommendedCostPerRunMicroDollars: costPerRun(recommendedTally),
      recommendedSuccessRate: rateOf(recommendedTally),
      runsCompared: recommendedTally.runs,
    });
  }
  return recommendations;
}

/** Tasks whose runs cost more than `multiple` times the median task of one of their required capabilities, costliest first. */
export function findCostlyTasks(runs: readonly RunOutcome[], tasks: ReadonlyMap<string, Task>, multiple: number): CostlyTask[] {
  const costs = new Map<string, number>();
  for (const run of runs)
    if (run.taskId && tasks.has(run.taskId)) costs.set(run.taskId, (costs.get(run.taskId) ?? 0) + run.costMicroDollars);
  const byCapability = new Map<string, number[]>();
  for (const [taskId, cost] of costs) {
    for (const capability of tasks.get(taskId)?.requiredCapabilities ?? []) {
      byCapability.set(capability, [...(byCapability.get(capability) ?? []), cost]);
    }
  }
  const medians = new Map([...byCapability].map(([capability, values]) => [capability, median(values)]));
  const costly: CostlyTask[] = [];
  for (const [taskId, cost] of costs) {
    const task = tasks.get(taskId);
    if (!task) continue;
    let worst: CostlyTask | undefined;
    for (const capability of task.requiredCapabilities) {
      const typical = medians.get(capability) ?? 0;
      if (typical <= 0 || cost <= multiple * typical) continue;
      const times = Math.round((cost / typical) * 100) / 100;
      if (!worst || times > worst.multiple) {
        worst = {
          taskId,
          taskKey: task.key,
          title: task.title,
          capability,
          costMicroDollars: cost,
          medianCostMicroDollars: Math.round(typical),
          multiple: times,
        };
      }
    }
    if (worst) costly.push(worst);
  }
  return costly.sort((left, right) => right.multiple - left.multiple || left.taskKey.localeCompare(right.taskKey));
}
