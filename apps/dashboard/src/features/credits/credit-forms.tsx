import type { CreditTransaction } from '@mission-control/contracts';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { showToast } from '../../lib/toasts';
import { wholeNumber } from '../../lib/whole-number';
import { formatCredits } from '../marketplace/marketplace-wording';
import { useMyWorkspaces } from '../organizations/organizations-api';
import { useCheckout, useGrantCredits, useRefund } from './credits-api';
import { describeCreditsFailure } from './credits-wording';

export function FormAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
      {message}
    </p>
  );
}

/** A labelled field with its hint and error; `children` is the input, given `id` and `describedBy`. */
function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="min-w-0">
      <label className="brutal-label" htmlFor={id}>
        {label}
      </label>
      {children(describedBy)}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** A one-line text input with its label, hint and error. */
function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  numeric = false,
}: {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  value: string;
  onChange: (value: string) => void;
  numeric?: boolean;
}) {
  return (
    <Field id={id} label={label} error={error} {...(hint ? { hint } : {})}>
      {(describedBy) => (
        <input
          id={id}
          className="brutal-input"
          value={value}
          maxLength={numeric ? 20 : 500}
          {...(numeric ? { inputMode: 'numeric' as const } : {})}
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** Buy credits with a card: an amount, then the browser goes to Stripe's payment page. */
export function BuyCreditsForm({ redirect = (url: string) => window.location.assign(url) }: { redirect?: (url: string) => void }) {
  const id = useId();
  const checkout = useCheckout();
  const [amount, setAmount] = useState('1000');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credits = wholeNumber(amount);
    if (credits === undefined || credits < 100 || credits > 10_000_000) {
      setError('Buy between 100 and 10,000,000 credits, as a whole number.');
      return;
    }
    setError(undefined);
    setFailure(null);
    try {
      const session = await checkout.mutateAsync(credits);
      redirect(session.url);
    } catch (caught) {
      setFailure(describeCreditsFailure(caught, 'checkout'));
    }
  };
  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label="Buy credits">
      <TextField
        id={`${id}-amount`}
        label="Credits to buy"
        hint="One credit is one US cent: 1,000 credits cost $10.00."
        error={error}
        value={amount}
        onChange={setAmount}
        numeric
      />
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={checkout.isPending}>
        {checkout.isPending ? 'Opening the payment page…' : 'Buy credits'}
      </button>
      <p className="text-xs">You pay on Stripe’s page, then come back here; the credits arrive once Stripe confirms the payment.</p>
      <FormAlert message={failure} />
    </form>
  );
}

/** Server administrators: give credits to a workspace the person belongs to, with a reason its history shows. */
export function GrantCreditsForm({ currentWorkspaceId }: { currentWorkspaceId: string | undefined }) {
  const id = useId();
  const workspaces = useMyWorkspaces();
  const grant = useGrantCredits();
  const [workspaceId, setWorkspaceId] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string; workspace?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const list = workspaces.data ?? [];
  const chosen = workspaceId || currentWorkspaceId || list[0]?.workspace.id || '';
  const chosenName = list.find((each) => each.workspace.id === chosen)?.workspace.name ?? 'the workspace';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credits = wholeNumber(amount);
    const found: typeof errors = {};
    if (!chosen) found.workspace = 'Choose a workspace.';
    if (credits === undefined || credits < 1 || credits > 1_000_000_000) found.amount = 'Grant between 1 and 1,000,000,000 credits.';
    if (!reason.trim()) found.reason = 'Say why: the reason is shown in the workspace’s history.';
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0 || credits === undefined) return;
    try {
      await grant.mutateAsync({ workspaceId: chosen, amount: credits, reason: reason.trim() });
      showToast(`Granted ${formatCredits(credits)} to ${chosenName}.`, 'success');
      setAmount('');
      setReason('');
    } catch (caught) {
      setFailure(describeCreditsFailure(caught, 'grant'));
    }
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label="Grant credits">
      <Field id={`${id}-workspace`} label="Workspace" error={errors.workspace}>
        {(describedBy) => (
          <select
            id={`${id}-workspace`}
            className="brutal-input"
            value={chosen}
            aria-describedby={describedBy}
            onChange={(event) => setWorkspaceId(event.target.value)}
          >
            {list.map((each) => (
              <option key={each.workspace.id} value={each.workspace.id}>
                {each.workspace.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField id={`${id}-amount`} label="Credits to grant" error={errors.amount} value={amount} onChange={setAmount} numeric />
      <TextField id={`${id}-reason`} label="Reason" error={errors.reason} value={reason} onChange={setReason} />
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={grant.isPending}>
        Grant credits
      </button>
      <FormAlert message={failure} />
    </form>
  );
}

/** Server administrators: refund a purchase, all of what is left or a part, with a reason. */
export function RefundForm({ purchase, onDone }: { purchase: CreditTransaction; onDone: () => void }) {
  const id = useId();
  const refund = useRefund();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const price = Math.abs(purchase.amount);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    const credits = amount.trim() ? wholeNumber(amount) : undefined;
    if (amount.trim() && (credits === undefined || credits < 1 || credits > price))
      found.amount = `Refund between 1 and ${formatCredits(price)}, or leave it empty for all that is left.`;
    if (!reason.trim()) found.reason = 'Say why: the reason is shown in the workspace’s history.';
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    try {
      const done = await refund.mutateAsync({
        transactionId: purchase.id,
        input: { reason: reason.trim(), ...(credits === undefined ? {} : { amount: credits }) },
      });
      showToast(`Refunded ${formatCredits(done.amount)} of ${purchase.listing?.title ?? 'the purchase'}.`, 'success');
      onDone();
    } catch (caught) {
      setFailure(describeCreditsFailure(caught, 'refund'));
    }
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label="Refund">
      <TextField
        id={`${id}-amount`}
        label="Credits to refund (optional)"
        hint={`Empty refunds all that is left of the ${formatCredits(price)}.`}
        error={errors.amount}
        value={amount}
        onChange={setAmount}
        numeric
      />
      <TextField id={`${id}-reason`} label="Reason for the refund" error={errors.reason} value={reason} onChange={setReason} />
      <FormAlert message={failure} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={refund.isPending}>
          Refund
        </button>
        <button type="button" className="brutal-button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
