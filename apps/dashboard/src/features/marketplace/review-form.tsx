import type { Listing } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { showToast } from '../../lib/toasts';
import { usePostReview } from './marketplace-api';
import { describeMarketplaceFailure } from './marketplace-wording';

/** Stars and words for someone who installed the listing; the server's refusals are said in plain words above the button. */
export function ReviewForm({ listing, replaces }: { listing: Listing; replaces: boolean }) {
  const id = useId();
  const post = usePostReview(listing.id);
  const [rating, setRating] = useState<number | null>(null);
  const [body, setBody] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (rating === null) {
      setFailure('Choose a rating from 1 to 5 stars first.');
      return;
    }
    setFailure(null);
    try {
      const review = await post.mutateAsync({ rating, body: body.trim() });
      setRating(null);
      setBody('');
      showToast(
        review.status === 'pending'
          ? 'Thank you: your review waits for a moderator before it counts.'
          : 'Thank you: your review is published.',
        'success',
      );
    } catch (error) {
      setFailure(describeMarketplaceFailure(error, 'review'));
    }
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex min-w-0 flex-col gap-2 border-2 border-ink bg-paper-alt p-3"
      aria-label="Your review"
    >
      <h3 className="font-black uppercase">Your review</h3>
      <fieldset className="min-w-0">
        <legend className="brutal-label">Rating</legend>
        <div className="flex flex-wrap gap-2">
          {[1, 2, 3, 4, 5].map((stars) => (
            <label key={stars} className="flex items-center gap-1 border-2 border-ink bg-paper px-2 py-1 text-sm font-bold">
              <input
                type="radio"
                name={`${id}-rating`}
                value={stars}
                checked={rating === stars}
                onChange={() => setRating(stars)}
                className="accent-[var(--color-signal)]"
              />
              {stars === 1 ? '1 star' : `${stars} stars`}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label className="brutal-label" htmlFor={`${id}-body`}>
          What worked, what did not (optional)
        </label>
        <textarea
          id={`${id}-body`}
          rows={3}
          className="brutal-input font-sans"
          value={body}
          maxLength={10_000}
          onChange={(event) => setBody(event.target.value)}
        />
      </div>
      {replaces ? <p className="text-xs">Posting again replaces your review of this version.</p> : null}
      {failure ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {failure}
        </p>
      ) : null}
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={post.isPending}>
        Post review
      </button>
    </form>
  );
}
