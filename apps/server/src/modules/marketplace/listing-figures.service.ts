import type { ListingFigures } from '@mission-control/contracts';
import type { ServiceContext } from '../../core/service-context.js';
import type { OutcomeService } from '../skills/outcome.service.js';
import { listConsentingInstallations } from './installation.repository.js';
import { readInstalledItems } from './installation.service.js';

export interface ListingFiguresDependencies {
  outcomes: Pick<OutcomeService, 'summariseAgentOutcomes'>;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

/**
 * What a listing's installed copies really did, from the task outcomes the coordination records:
 * only installations whose installers consented count, and the figures never name a workspace.
 */
export class ListingFiguresService {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: ListingFiguresDependencies,
  ) {}

  /** Null when no installer shares their results: nothing to show, rather than zeros that look measured. */
  async figuresOf(listingId: string): Promise<ListingFigures | null> {
    const installations = await listConsentingInstallations(this.context.db, listingId);
    if (installations.length === 0) return null;
    let tasksDone = 0;
    let tasksFailed = 0;
    const costs: number[] = [];
    for (const installation of installations) {
      const agentIds = readInstalledItems(installation).flatMap((item) => (item.kind === 'agent' ? [item.id] : []));
      const summary = await this.dependencies.outcomes.summariseAgentOutcomes(installation.workspace_id, agentIds);
      tasksDone += summary.done;
      tasksFailed += summary.failed;
      costs.push(...summary.doneCosts.filter((cost) => cost > 0));
    }
    const finished = tasksDone + tasksFailed;
    return {
      installationsReporting: installations.length,
      tasksDone,
      tasksFailed,
      successRate: finished === 0 ? null : tasksDone / finished,
      medianCostMicroDollarsPerTask: median(costs),
    };
  }
}
