import type { ApiKey, RotatedApiKey } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { z } from 'zod';
import { describeError } from '../../lib/describe-error';
import { defaultGraceSeconds, graceChoices } from './api-key-wording';
import { type ApiKeyOwner, useRotateApiKey } from './api-keys-api';

/** What 409 API_KEY_NOT_ROTATABLE carries when the key already has a successor. */
const replacedSchema = z.object({ replacedById: z.string() });

/**
 * A refused rotation in plain words: 409 API_KEY_NOT_ROTATABLE names the successor's id, which a
 * person cannot use. A rotation that lost a race carries no details; its message says "rotated".
 */
export function describeRotateFailure(failure: unknown): string {
  if (isMissionControlError(failure) && failure.code === 'API_KEY_NOT_ROTATABLE') {
    return replacedSchema.safeParse(failure.details).success || /rotated/i.test(failure.message)
      ? 'This key was already rotated, perhaps by someone else a moment ago. Rotate its newer key (same name, in the list) instead.'
      : 'This key was revoked or has expired, so it cannot be rotated. Create a new key instead.';
  }
  return describeError(failure);
}

/**
 * Rotation of one key: asks how long the old key keeps working (so whatever uses it can switch to
 * the new one meanwhile), then hands the new key and the old one's end back to the panel.
 */
export function ApiKeyRotateForm({
  owner,
  apiKey,
  onRotated,
  onCancel,
}: {
  owner: ApiKeyOwner;
  apiKey: ApiKey;
  onRotated: (rotated: RotatedApiKey, graceSeconds: number) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const rotate = useRotateApiKey(owner);
  const [graceSeconds, setGraceSeconds] = useState<number>(defaultGraceSeconds);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onRotated(await rotate.mutateAsync({ keyId: apiKey.id, body: { graceSeconds } }), graceSeconds);
    } catch (failure) {
      setError(describeRotateFailure(failure));
    }
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3 border-2 border-ink bg-paper-alt p-3" aria-label={`Rotate ${apiKey.name}`}>
      <fieldset className="flex flex-col gap-2">
        <legend className="font-bold">How long should the old key keep working?</legend>
        <p className="text-sm">A new key with the same name and restrictions replaces it. Put the new key in place within this time.</p>
        <div className="flex flex-wrap gap-2">
          {graceChoices.map((choice) => (
            <label key={choice.seconds} className="flex items-center gap-2 border-2 border-ink bg-paper px-2 py-1">
              <input
                type="radio"
                name={`${id}-grace`}
                value={choice.seconds}
                checked={graceSeconds === choice.seconds}
                onChange={() => setGraceSeconds(choice.seconds)}
                className="size-4 accent-ink"
              />
              <span>{choice.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {error ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={rotate.isPending}>
          Rotate key
        </button>
        <button type="button" className="brutal-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
