import type { Activity, AgentRunDetail, RunStep } from '@mission-control/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import type { CacheActions } from '../realtime/apply-activity';
import { patchRun } from './runs-api';

/** Built-in agents' own run lists (the agent profile's runtime panel). */
const agentRunListsKey = ['agents', 'runs'] as const;

/**
 * Applies run and runner events: a step is appended to the open transcript at once from what the
 * event says (kind, tool, error, exit code), then the run is refetched for the step's full text;
 * an ending writes the outcome, usage and branch into every cached copy of the run.
 */
export function applyRunActivity(queryClient: QueryClient, activity: Activity, { invalidate }: Pick<CacheActions, 'invalidate'>): void {
  switch (activity.type) {
    case 'run-started':
      invalidate(queryKeys.runLists);
      invalidate(queryKeys.runners);
      invalidate(agentRunListsKey);
      break;
    case 'run-step': {
      const { runId, ...fields } = activity.data;
      appendStep(queryClient, runId, { ...fields, at: activity.createdAt });
      invalidate(queryKeys.run(runId));
      break;
    }
    case 'run-finished':
    case 'run-failed': {
      const { runId, outcome, tokensIn, tokensOut, costMicroDollars, modelCalls, durationMs, branch, commit, sessionId } = activity.data;
      patchRun(queryClient, runId, {
        status: outcome,
        tokensIn,
        tokensOut,
        costMicroDollars,
        modelCalls,
        durationMs: Math.round(durationMs),
        finishedAt: activity.createdAt,
        ...(branch !== undefined ? { branch } : {}),
        ...(commit !== undefined ? { commit } : {}),
        ...(sessionId !== undefined ? { sessionId } : {}),
      });
      invalidate(queryKeys.run(runId));
      invalidate(queryKeys.runLists);
      invalidate(queryKeys.runners);
      invalidate(agentRunListsKey);
      break;
    }
    case 'run-cancel-requested':
      patchRun(queryClient, activity.data.runId, { cancelRequestedAt: activity.createdAt });
      invalidate(queryKeys.run(activity.data.runId));
      invalidate(queryKeys.runLists);
      invalidate(queryKeys.runners);
      break;
    case 'runner-registered':
    case 'runner-offline':
    case 'runner-deleted':
      invalidate(queryKeys.runners);
      if (activity.type === 'runner-offline') invalidate(queryKeys.runLists);
      break;
    default:
      break;
  }
}

function appendStep(queryClient: QueryClient, runId: string, step: RunStep): void {
  queryClient.setQueryData<AgentRunDetail>(queryKeys.run(runId), (detail) => {
    if (!detail || detail.steps.some((each) => each.index === step.index)) return detail;
    return { ...detail, steps: [...detail.steps, step].sort((left, right) => left.index - right.index) };
  });
}
