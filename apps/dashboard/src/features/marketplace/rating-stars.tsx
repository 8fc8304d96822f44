import { ratingInWords } from './marketplace-wording';

/** Five stars filled to the rounded average, with the average and count in words beside them. */
export function RatingStars({ average, count, compact = false }: { average: number | null; count: number; compact?: boolean }) {
  const filled = average === null ? 0 : Math.round(average);
  const words = ratingInWords(average, count);
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid="rating">
      <span aria-hidden="true" className="font-mono tracking-tight">
        {'★'.repeat(filled)}
        {'☆'.repeat(5 - filled)}
      </span>
      {compact && average !== null && count > 0 ? (
        <>
          <span aria-hidden="true">
            {average.toFixed(1).replace(/\.0$/, '')} ({count.toLocaleString()})
          </span>
          <span className="sr-only">{words}</span>
        </>
      ) : (
        <span>{words}</span>
      )}
    </span>
  );
}

/** How many ratings of each star, as bars with their counts. */
export function RatingDistribution({ distribution, count }: { distribution: Record<1 | 2 | 3 | 4 | 5, number>; count: number }) {
  return (
    <ul className="flex flex-col gap-1" aria-label="Ratings by stars">
      {([5, 4, 3, 2, 1] as const).map((stars) => {
        const share = count === 0 ? 0 : Math.round((distribution[stars] / count) * 100);
        return (
          <li key={stars} className="grid grid-cols-[4.5rem_1fr_2.5rem] items-center gap-2 text-sm">
            <span>
              {stars === 1 ? '1 star' : `${stars} stars`}
              <span className="sr-only">:</span>
            </span>
            <span className="h-3 border-2 border-ink" aria-hidden="true">
              <span className="block h-full bg-ink" style={{ width: `${share}%` }} />
            </span>
            <span className="text-right font-mono">{distribution[stars].toLocaleString()}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** One person's rating: its stars and "4 out of 5". */
export function ReviewStars({ rating }: { rating: number }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span aria-hidden="true" className="font-mono tracking-tight">
        {'★'.repeat(rating)}
        {'☆'.repeat(5 - rating)}
      </span>
      <span className="text-sm">{rating} out of 5</span>
    </span>
  );
}
