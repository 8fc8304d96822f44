import { type ListingProblem, listingProblemSchema } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { z } from 'zod';
import { plural } from '../../lib/format';
import { type ContentNames, problemLocation } from './marketplace-wording';

const problemsSchema = z.object({ problems: z.array(listingProblemSchema) });

/** The problems of a 422 LISTING_CONTENT_UNSAFE, or null for any other failure. */
export function contentProblemsOf(failure: unknown): ListingProblem[] | null {
  if (!isMissionControlError(failure) || failure.code !== 'LISTING_CONTENT_UNSAFE') return null;
  return problemsSchema.safeParse(failure.details).data?.problems ?? [];
}

const problemKinds: Record<ListingProblem['problem'], string> = {
  secret: 'Looks like a secret',
  reference: 'Points into your workspace',
};

/**
 * Why nothing was published: each problem where it is (the agent, skill or workflow by name and
 * the field) and what to do, so the person knows exactly what to remove before trying again.
 */
export function ContentProblems({ problems, names }: { problems: readonly ListingProblem[]; names: ContentNames }) {
  return (
    <div role="alert" className="flex min-w-0 flex-col gap-2 border-[3px] border-ink bg-paper-alt p-3" data-testid="content-problems">
      <p className="font-black">
        Nothing was published: {plural(problems.length, 'thing')} in the content must not be shared. Remove{' '}
        {problems.length === 1 ? 'it' : 'them'} where it says, then publish again.
      </p>
      <ul className="flex flex-col gap-2">
        {problems.map((problem, index) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: two problems can be at the same path
            key={`${problem.path}-${index}`}
            className="min-w-0 border-l-[6px] border-status-blocked pl-2 break-words"
            data-testid="content-problem"
          >
            <p>
              <span className="font-bold">{problemKinds[problem.problem]}</span> in {problemLocation(problem.path, names)}.
            </p>
            <p className="text-sm">{problem.message}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
