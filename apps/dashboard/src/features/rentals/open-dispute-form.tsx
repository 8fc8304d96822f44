import type { Rental } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { showToast } from '../../lib/toasts';
import { FormAlert } from '../credits/credit-forms';
import { formatCredits } from '../marketplace/marketplace-wording';
import { useOpenDispute } from './rentals-api';
import { describeRentalsFailure } from './rentals-wording';

const reasonLimit = 2_000;

/** Disputes a running rental with what went wrong: the escrow then waits for a server administrator. */
export function OpenDisputeForm({ rental, onDone }: { rental: Rental; onDone: () => void }) {
  const id = useId();
  const openDispute = useOpenDispute();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    const problem = !text
      ? 'Say what went wrong: the administrator who decides reads it.'
      : text.length > reasonLimit
        ? `Keep it to ${reasonLimit.toLocaleString()} characters; it has ${text.length.toLocaleString()}.`
        : undefined;
    setReasonError(problem);
    setFailure(null);
    if (problem) return;
    try {
      await openDispute.mutateAsync({ rentalId: rental.id, reason: text });
      showToast(
        `Opened a dispute over ${rental.listing.title}: its ${formatCredits(rental.escrowCredits)} stay in escrow until a server administrator decides.`,
        'success',
      );
      onDone();
    } catch (caught) {
      setFailure(describeRentalsFailure(caught, 'dispute'));
    }
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label="Open a dispute">
      <div className="min-w-0">
        <label className="brutal-label" htmlFor={`${id}-reason`}>
          What went wrong
        </label>
        <textarea
          id={`${id}-reason`}
          className="brutal-input min-h-28 w-full"
          value={reason}
          aria-invalid={Boolean(reasonError)}
          aria-describedby={`${id}-hint${reasonError ? ` ${id}-error` : ''}`}
          onChange={(event) => setReason(event.target.value)}
        />
        <p id={`${id}-hint`} className="mt-1 text-xs">
          A server administrator reads it, then refunds all or part of the price, or releases it to the publisher.
        </p>
        <FieldError id={`${id}-error`} message={reasonError} />
      </div>
      <FormAlert message={failure} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={openDispute.isPending}>
          {openDispute.isPending ? 'Opening…' : 'Open the dispute'}
        </button>
        <button type="button" className="brutal-button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
