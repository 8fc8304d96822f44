import type { ApiKey, CreatedApiKey, RotatedApiKey } from '@mission-control/contracts';
import { type ReactNode, useId, useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { ApiKeyCreateForm } from './api-key-create-form';
import { ApiKeyReveal } from './api-key-reveal';
import { ApiKeyRotateForm } from './api-key-rotate-form';
import { type ApiKeyState, apiKeyState, canRotate, describeLastUse, describeLifetime, describeRestrictions } from './api-key-wording';
import { type ApiKeyOwner, useApiKeys, useRevokeApiKey } from './api-keys-api';

const stateBadges: Record<Exclude<ApiKeyState, 'live'>, string> = { rotated: 'rotated', expired: 'expired', revoked: 'revoked' };

/** What a rotation did to the old key, said above the new secret. */
function describeRotation(rotated: RotatedApiKey, graceSeconds: number, now: number): string {
  if (graceSeconds === 0 || rotated.previous.revokedAt) return 'The old key stopped working just now.';
  const end = rotated.previous.expiresAt;
  return `The old key keeps working until ${formatDateTime(end)} (${relativeTime(end, now, 'long')}): put the new key in place before then.`;
}

function ApiKeyRow({
  owner,
  apiKey,
  now,
  rotating,
  onRotate,
  onRotated,
}: {
  owner: ApiKeyOwner;
  apiKey: ApiKey;
  now: number;
  rotating: boolean;
  onRotate: (rotating: boolean) => void;
  onRotated: (rotated: RotatedApiKey, graceSeconds: number) => void;
}) {
  const revoke = useRevokeApiKey(owner);
  const state = apiKeyState(apiKey, now);
  // The successor of a rotation has the same name: the prefix tells the two apart for a screen reader too.
  const which = `${apiKey.name} (${apiKey.prefix}…)`;
  return (
    <li className="flex min-w-0 flex-col gap-2 border-2 border-ink p-2" data-testid="api-key-row" data-state={state}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex min-w-0 flex-col gap-0.5">
          <p className="flex flex-wrap items-center gap-x-2 font-mono text-sm break-all">
            <span className={`font-bold ${state === 'revoked' ? 'line-through' : ''}`}>{apiKey.name}</span>
            <span>{apiKey.prefix}…</span>
            {state === 'live' ? null : (
              <span className="border-2 border-ink bg-paper-alt px-1 text-xs font-bold uppercase">{stateBadges[state]}</span>
            )}
          </p>
          <p className="text-sm">{describeLastUse(apiKey, now)}</p>
          <p className="text-sm break-words">{describeRestrictions(apiKey)}</p>
          <p className="text-sm">{describeLifetime(apiKey, now)}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canRotate(apiKey, now) && !rotating ? (
            <button type="button" className="brutal-button" aria-label={`Rotate ${which}`} onClick={() => onRotate(true)}>
              Rotate
            </button>
          ) : null}
          {state === 'revoked' ? null : (
            <button
              type="button"
              className="brutal-button"
              data-variant="danger"
              aria-label={`Revoke ${which}`}
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(apiKey.id, { onError: (error) => showToast(describeError(error), 'error') })}
            >
              Revoke
            </button>
          )}
        </div>
      </div>
      {rotating ? <ApiKeyRotateForm owner={owner} apiKey={apiKey} onRotated={onRotated} onCancel={() => onRotate(false)} /> : null}
    </li>
  );
}

/**
 * API keys of one owner (an agent, or the signed-in person): each key as a person reads it (last
 * use and address, restrictions, expiry and grace), a form for a new key with its controls, and
 * rotation with a grace period. The new secret is shown once, with ways to use it.
 */
export function ApiKeysPanel({ owner, heading, children }: { owner: ApiKeyOwner; heading: string; children?: ReactNode }) {
  const headingId = useId();
  const keys = useApiKeys(owner);
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [rotatingId, setRotatingId] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<{ created: CreatedApiKey; note: string | null } | null>(null);

  const created = (answer: CreatedApiKey) => {
    setCreating(false);
    setRevealed({ created: answer, note: null });
  };
  const rotated = (answer: RotatedApiKey, graceSeconds: number) => {
    setRotatingId(null);
    setRevealed({ created: answer, note: describeRotation(answer, graceSeconds, Date.now()) });
  };

  return (
    <section className="brutal-box flex min-w-0 flex-col gap-3 p-3" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-xl font-black uppercase">
          {heading}
        </h2>
        {creating ? null : (
          <button type="button" className="brutal-button" data-variant="primary" onClick={() => setCreating(true)}>
            + New key
          </button>
        )}
      </div>
      {children}
      {creating ? <ApiKeyCreateForm owner={owner} onCreated={created} onCancel={() => setCreating(false)} /> : null}
      {revealed ? (
        <div className="flex min-w-0 flex-col gap-2">
          <ApiKeyReveal created={revealed.created} {...(owner.kind === 'agent' ? { agentId: owner.agentId } : {})}>
            {revealed.note ? <p className="font-bold">{revealed.note}</p> : null}
          </ApiKeyReveal>
          <button type="button" className="brutal-button self-start" onClick={() => setRevealed(null)}>
            Done, I stored the key
          </button>
        </div>
      ) : null}
      {keys.isPending ? <SkeletonList rows={2} className="h-10" /> : null}
      {keys.isError ? <ErrorState error={keys.error} what="API keys" onRetry={() => void keys.refetch()} /> : null}
      {keys.data?.data.length === 0 ? <p className="font-mono text-sm">No keys yet.</p> : null}
      <ul className="flex flex-col gap-2">
        {keys.data?.data.map((key) => (
          <ApiKeyRow
            key={key.id}
            owner={owner}
            apiKey={key}
            now={now}
            rotating={rotatingId === key.id}
            onRotate={(open) => setRotatingId(open ? key.id : null)}
            onRotated={rotated}
          />
        ))}
      </ul>
    </section>
  );
}
