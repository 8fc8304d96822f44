import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatCost } from '../agents/agent-runtime-api';
import { useRecommendations } from '../alerts/alerts-api';

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** Cheaper models that did as well, per agent, and tasks that cost far more than usual (the last 30 days). */
export function RecommendationsPanel() {
  const recommendations = useRecommendations();
  return (
    <section aria-labelledby="recommendations-heading" className="min-w-0 border-[3px] border-ink p-2">
      <h2 id="recommendations-heading" className="brutal-label">
        Ways to spend less (last 30 days)
      </h2>
      {recommendations.isPending ? (
        <SkeletonList rows={2} />
      ) : recommendations.isError ? (
        <ErrorState error={recommendations.error} onRetry={() => void recommendations.refetch()} what="the recommendations" />
      ) : recommendations.data.models.length === 0 && recommendations.data.costlyTasks.length === 0 ? (
        <EmptyState title="Nothing to suggest">
          No agent has a cheaper model that did as well, and no task cost far more than usual.
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-3">
          {recommendations.data.models.length > 0 ? (
            <ul className="flex flex-col gap-1 font-mono text-xs" aria-label="Cheaper models">
              {recommendations.data.models.map((model) => (
                <li key={model.agentId} className="border-2 border-ink p-1">
                  <span className="font-bold">{model.agentName}</span> could use {model.recommendedModel} instead of {model.currentModel}:{' '}
                  {formatCost(model.recommendedCostPerRunMicroDollars)} a run instead of {formatCost(model.currentCostPerRunMicroDollars)},
                  with {percent(model.recommendedSuccessRate)} of runs succeeding against {percent(model.currentSuccessRate)} (from{' '}
                  {model.runsCompared} runs).
                </li>
              ))}
            </ul>
          ) : null}
          {recommendations.data.costlyTasks.length > 0 ? (
            <ul className="flex flex-col gap-1 font-mono text-xs" aria-label="Costly tasks">
              {recommendations.data.costlyTasks.map((task) => (
                <li key={task.taskId} className="border-2 border-ink p-1">
                  <span className="font-bold">
                    {task.taskKey} {task.title}
                  </span>{' '}
                  cost {formatCost(task.costMicroDollars)}, {task.multiple}× the usual {task.capability} task (
                  {formatCost(task.medianCostMicroDollars)}).
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </section>
  );
}
