import { type CreatedApiKey, createApiKeySchema } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { describeError } from '../../lib/describe-error';
import { collectFieldErrors, type FormIssue, plainIssueMessage, serverIssuesOn } from '../../lib/form-errors';
import { parseAddressList } from './api-key-wording';
import { type ApiKeyOwner, type CreateApiKeyBody, useCreateApiKey } from './api-keys-api';

type Field = 'name' | 'allowedIps' | 'rateLimitPerMinute' | 'form';
type FieldErrors = Partial<Record<Field, string>>;

/** The sentence for one problem, said about the field the person typed in. */
function describeIssue(issue: FormIssue, addresses: string[]): [Field, string] {
  const [field, index] = issue.path;
  if (field === 'allowedIps') {
    if (issue.code === 'too_big') return ['allowedIps', 'Give at most 100 addresses or ranges; a wider range can cover several.'];
    const address = addresses[Number(index)];
    const what = address ? `“${address}” is not an address or a range.` : 'One of these is not an address or a range.';
    return ['allowedIps', `${what} Give IPv4 or IPv6 addresses, or CIDR ranges such as 10.1.0.0/16.`];
  }
  if (field === 'rateLimitPerMinute') {
    return ['rateLimitPerMinute', 'The limit is a whole number of requests a minute, from 1 to 1,000,000.'];
  }
  if (field === 'name') return ['name', plainIssueMessage(issue)];
  return ['form', issue.message];
}

function errorsFrom(issues: FormIssue[], addresses: string[]): FieldErrors {
  return collectFieldErrors(issues, (issue) => describeIssue(issue, addresses));
}

/** The server's refusal, on the field it is about when it names one; anything else above the buttons. */
function errorsFromFailure(failure: unknown, addresses: string[]): FieldErrors {
  const located = serverIssuesOn(failure, ['name', 'allowedIps', 'rateLimitPerMinute']);
  return located.length > 0 ? errorsFrom(located, addresses) : { form: describeError(failure) };
}

/**
 * A new key with its controls: a name, the addresses it may be used from, a rate limit of its own,
 * and whether every request must be signed. The contracts' schema checks it first, so the
 * messages match the server's rules; what the server still refuses lands on the same fields.
 */
export function ApiKeyCreateForm({
  owner,
  onCreated,
  onCancel,
}: {
  owner: ApiKeyOwner;
  onCreated: (created: CreatedApiKey) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const create = useCreateApiKey(owner);
  const [name, setName] = useState(`key-${new Date().toISOString().slice(0, 10)}`);
  const [addresses, setAddresses] = useState('');
  const [rateLimit, setRateLimit] = useState('');
  const [requireSignature, setRequireSignature] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const allowedIps = parseAddressList(addresses);
    const body: CreateApiKeyBody = {
      name: name.trim(),
      requireSignature,
      ...(allowedIps.length > 0 ? { allowedIps } : {}),
      ...(rateLimit.trim() ? { rateLimitPerMinute: Number(rateLimit) } : {}),
    };
    const parsed = createApiKeySchema.safeParse(body);
    if (!parsed.success) {
      setErrors(errorsFrom(parsed.error.issues, allowedIps));
      return;
    }
    setErrors({});
    try {
      onCreated(await create.mutateAsync(body));
    } catch (failure) {
      setErrors(errorsFromFailure(failure, allowedIps));
    }
  };

  const described = (field: Field, hint?: string) => ({
    'aria-invalid': Boolean(errors[field]),
    'aria-describedby': [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined,
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 border-2 border-ink bg-paper-alt p-3" aria-label="New API key">
      <div>
        <label className="brutal-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="brutal-input"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...described('name')}
        />
        <FieldError id={`${id}-name-error`} message={errors.name} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${id}-addresses`}>
          Allowed addresses (optional)
        </label>
        <textarea
          id={`${id}-addresses`}
          rows={2}
          className="brutal-input font-mono"
          placeholder="10.1.0.0/16, 203.0.113.7"
          value={addresses}
          onChange={(event) => setAddresses(event.target.value)}
          {...described('allowedIps', `${id}-addresses-hint`)}
        />
        <p id={`${id}-addresses-hint`} className="mt-1 text-xs">
          Addresses or ranges, separated by commas or new lines. Left empty, the key works from anywhere.
        </p>
        <FieldError id={`${id}-allowedIps-error`} message={errors.allowedIps} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${id}-rate`}>
          Requests per minute (optional)
        </label>
        <input
          id={`${id}-rate`}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          className="brutal-input"
          value={rateLimit}
          onChange={(event) => setRateLimit(event.target.value)}
          {...described('rateLimitPerMinute', `${id}-rate-hint`)}
        />
        <p id={`${id}-rate-hint`} className="mt-1 text-xs">
          A limit for this key alone. Left empty, it shares its owner’s limit.
        </p>
        <FieldError id={`${id}-rateLimitPerMinute-error`} message={errors.rateLimitPerMinute} />
      </div>
      <div className="flex items-start gap-2">
        <input
          id={`${id}-signature`}
          type="checkbox"
          className="mt-1 size-5 shrink-0 accent-ink"
          checked={requireSignature}
          onChange={(event) => setRequireSignature(event.target.checked)}
          aria-describedby={`${id}-signature-hint`}
        />
        <div>
          <label className="font-bold" htmlFor={`${id}-signature`}>
            Require signed requests
          </label>
          <p id={`${id}-signature-hint`} className="text-xs">
            Each request must also carry a signature made with the key, so a copied header alone is not enough. The SDK and the mission CLI
            sign by themselves; plain curl cannot.
          </p>
        </div>
      </div>
      {errors.form ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {errors.form}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
          Create key
        </button>
        <button type="button" className="brutal-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
