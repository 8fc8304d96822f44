import type { Listing, ListingFigures } from '@mission-control/contracts';
import { formatCost } from '../agents/agent-runtime-api';

/** "1 task", "1,234 tasks". */
function counted(count: number, singular: string): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : `${singular}s`}`;
}

/** "$0.0042": dollars from millionths of a dollar, to the cent, or finer for amounts under a dollar. */

/** "12 tasks done, 1 failed, across 3 installations (their installers share these results)". */
export function figuresTasksInWords(figures: ListingFigures): string {
  return `${counted(figures.tasksDone, 'task')} done, ${figures.tasksFailed.toLocaleString()} failed, across ${counted(figures.installationsReporting, 'installation')} (their installers share these results)`;
}

/** "92 % of finished tasks were done", or "No task finished yet". */
export function successRateInWords(successRate: number | null): string {
  return successRate === null ? 'No task finished yet' : `${Math.round(successRate * 100)} % of finished tasks were done`;
}

/** "$0.0042 per task (median)", or "No run was costed". */
export function medianCostInWords(medianCostMicroDollarsPerTask: number | null): string {
  return medianCostMicroDollarsPerTask === null ? 'No run was costed' : `${formatCost(medianCostMicroDollarsPerTask)} per task (median)`;
}

/**
 * Results from installed copies of an agent or a bundle: tasks done and failed, success rate and
 * median cost per task, counted only over installations whose installers consented. Nothing for
 * other kinds, nor on answers that do not carry figures (search results).
 */
export function ListingFiguresSection({ listing }: { listing: Listing }) {
  if (listing.kind !== 'agent' && listing.kind !== 'bundle') return null;
  if (listing.figures === undefined) return null;
  const figures = listing.figures;
  const titleId = `figures-${listing.id}`;
  return (
    <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby={titleId} data-testid="listing-figures">
      <h2 id={titleId} className="text-xl font-black uppercase">
        Results from installed copies
      </h2>
      {figures === null ? (
        <p>No installer shares their results yet.</p>
      ) : (
        <dl className="grid min-w-0 grid-cols-1 gap-x-3 gap-y-1 sm:grid-cols-[auto_1fr]">
          <dt className="font-bold">Tasks</dt>
          <dd className="break-words" data-testid="figures-tasks">
            {figuresTasksInWords(figures)}
          </dd>
          <dt className="font-bold">Success rate</dt>
          <dd className="break-words" data-testid="figures-success-rate">
            {successRateInWords(figures.successRate)}
          </dd>
          <dt className="font-bold">Cost per task</dt>
          <dd className="break-words" data-testid="figures-cost">
            {medianCostInWords(figures.medianCostMicroDollarsPerTask)}
          </dd>
        </dl>
      )}
    </section>
  );
}
