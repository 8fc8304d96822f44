import type { Dispute } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { showToast } from '../../lib/toasts';
import { wholeNumber } from '../../lib/whole-number';
import { FormAlert } from '../credits/credit-forms';
import { formatCredits } from '../marketplace/marketplace-wording';
import { useResolveDispute } from './rentals-api';
import { describeRentalsFailure } from './rentals-wording';

type Outcome = 'refund' | 'release';

/**
 * Server administrators: refund the workspace (all of the price, or part of it with the rest
 * released to the publisher) or release all of it to the publisher, with a reason both sides read.
 */
export function ResolveDisputeForm({ dispute }: { dispute: Dispute }) {
  const id = useId();
  const resolve = useResolveDispute();
  const [outcome, setOutcome] = useState<Outcome>('refund');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const price = dispute.rental.priceCredits;
  const title = dispute.listing.title;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    const refundAmount = outcome === 'refund' && amount.trim() ? wholeNumber(amount) : undefined;
    if (outcome === 'refund' && amount.trim() && (refundAmount === undefined || refundAmount < 1 || refundAmount > price))
      found.amount = `Refund a whole number from 1 to ${formatCredits(price)}, or leave it empty to refund all of it.`;
    if (!reason.trim()) found.reason = 'Say why: the workspace and the publisher both read it.';
    else if (reason.trim().length > 2_000) found.reason = 'Keep the reason to 2,000 characters.';
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    try {
      const resolved = await resolve.mutateAsync({
        disputeId: dispute.id,
        input: { outcome, reason: reason.trim(), ...(refundAmount === undefined ? {} : { refundAmount }) },
      });
      const refunded = resolved.resolution?.refunded ?? 0;
      const released = resolved.resolution?.released ?? 0;
      showToast(
        `Resolved the dispute over ${title}: ${formatCredits(refunded)} refunded to the workspace, ${formatCredits(released)} released to the publisher.`,
        'success',
      );
    } catch (caught) {
      setFailure(describeRentalsFailure(caught, 'resolve'));
    }
  };

  const described = (field: 'amount' | 'reason', hint: boolean) =>
    [hint ? `${id}-${field}-hint` : '', errors[field] ? `${id}-${field}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex min-w-0 flex-col gap-2 border-t-2 border-ink pt-2"
      aria-label={`Resolve the dispute over ${title}`}
    >
      <fieldset className="flex min-w-0 flex-col gap-1">
        <legend className="brutal-label">Decision</legend>
        {(
          [
            {
              value: 'refund',
              label: 'Refund the workspace',
              hint: 'All of the price, or the part you type; the rest goes to the publisher.',
            },
            {
              value: 'release',
              label: 'Release to the publisher',
              hint: 'All of the price goes to the publisher; the period runs to its end.',
            },
          ] as const
        ).map((option) => (
          <label key={option.value} className="flex min-w-0 items-start gap-2">
            <input
              type="radio"
              name={`${id}-outcome`}
              value={option.value}
              checked={outcome === option.value}
              onChange={() => setOutcome(option.value)}
              className="mt-1"
            />
            <span className="min-w-0">
              <span className="font-bold">{option.label}</span>
              <span className="block text-xs">{option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {outcome === 'refund' ? (
        <div className="min-w-0">
          <label className="brutal-label" htmlFor={`${id}-amount`}>
            Credits to refund (optional)
          </label>
          <input
            id={`${id}-amount`}
            className="brutal-input"
            inputMode="numeric"
            value={amount}
            aria-invalid={Boolean(errors.amount)}
            aria-describedby={described('amount', true)}
            onChange={(event) => setAmount(event.target.value)}
          />
          <p id={`${id}-amount-hint`} className="mt-1 text-xs">
            Empty refunds all {formatCredits(price)}.
          </p>
          <FieldError id={`${id}-amount-error`} message={errors.amount} />
        </div>
      ) : null}
      <div className="min-w-0">
        <label className="brutal-label" htmlFor={`${id}-reason`}>
          Reason for the decision
        </label>
        <textarea
          id={`${id}-reason`}
          className="brutal-input min-h-20 w-full"
          value={reason}
          aria-invalid={Boolean(errors.reason)}
          aria-describedby={described('reason', false)}
          onChange={(event) => setReason(event.target.value)}
        />
        <FieldError id={`${id}-reason-error`} message={errors.reason} />
      </div>
      <FormAlert message={failure} />
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={resolve.isPending}>
        {resolve.isPending ? 'Resolving…' : 'Resolve the dispute'}
      </button>
    </form>
  );
}
