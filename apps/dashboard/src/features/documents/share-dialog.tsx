import type { DocumentShare } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { describeError } from '../../lib/describe-error';
import { plural, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { SecretReveal } from '../integrations/secret-reveal';
import { useCreateDocumentShare, useDocumentShares, useRevokeDocumentShare } from './documents-api';

const expiryChoices = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: 'never', label: 'Until revoked' },
] as const;

/** The link as a person opens it: the server's public URL, or this dashboard's origin without one. */
export function absoluteShareUrl(url: string, origin: string = window.location.origin): string {
  return url.startsWith('/') ? `${origin}${url}` : url;
}

function shareState(share: DocumentShare, now: number): string {
  if (share.revokedAt) return `revoked ${relativeTime(share.revokedAt, now)}`;
  if (share.expiresAt && Date.parse(share.expiresAt) <= now) return `expired ${relativeTime(share.expiresAt, now)}`;
  return share.expiresAt ? `works until ${relativeTime(share.expiresAt, now)}` : 'works until revoked';
}

function isLive(share: DocumentShare, now: number): boolean {
  return !share.revokedAt && !(share.expiresAt && Date.parse(share.expiresAt) <= now);
}

/** "Share" on a document: make read-only links (the link shown once), see their views, revoke them. */
export function ShareDocumentButton({ documentId, title }: { documentId: string; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="brutal-button" onClick={() => setOpen(true)}>
        Share
      </button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Share read-only"
        description={`Anyone with a link can read "${title}" without signing in, until the link expires or you revoke it.`}
      >
        {open ? <ShareDocumentPanel documentId={documentId} /> : null}
      </Dialog>
    </>
  );
}

export function ShareDocumentPanel({ documentId }: { documentId: string }) {
  const now = useNow();
  const shares = useDocumentShares(documentId, true);
  const create = useCreateDocumentShare(documentId);
  const revoke = useRevokeDocumentShare(documentId);
  const [expiry, setExpiry] = useState<string>('7');
  const [revealed, setRevealed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await create.mutateAsync(expiry === 'never' ? {} : { expiresInDays: Number(expiry) });
      setRevealed(absoluteShareUrl(created.url));
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const revokeShare = async (shareId: string) => {
    setError(null);
    try {
      await revoke.mutateAsync(shareId);
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <div>
          <label className="brutal-label" htmlFor="share-expiry">
            Link works for
          </label>
          <select id="share-expiry" className="brutal-input" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
            {expiryChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
          Create link
        </button>
      </form>
      {revealed ? (
        <SecretReveal secret={revealed} label="link" onDone={() => setRevealed(null)}>
          <p>Send it to the people who should read the document. Anyone who has it can open it.</p>
        </SecretReveal>
      ) : null}
      {error ? (
        <p role="alert" className="font-mono text-xs font-bold text-danger">
          {error}
        </p>
      ) : null}
      <section aria-labelledby="share-list-heading">
        <h3 id="share-list-heading" className="mb-2 font-black uppercase">
          Links
        </h3>
        {shares.isPending ? <p className="text-sm">Loading links…</p> : null}
        {shares.isError ? <p className="text-sm">Could not load the links: {describeError(shares.error)}</p> : null}
        {shares.data && shares.data.data.length === 0 ? <p className="text-sm">No links yet.</p> : null}
        <ul className="flex flex-col gap-2">
          {shares.data?.data.map((share) => (
            <li key={share.id} className="flex flex-wrap items-center justify-between gap-2 border-2 border-ink p-2 text-sm">
              <div className="min-w-0">
                <p className="font-bold">
                  Made by {share.createdByName} {relativeTime(share.createdAt, now)}
                </p>
                <p className="font-mono text-xs">
                  {shareState(share, now)} · {plural(share.viewCount, 'view')}
                  {share.lastViewedAt ? `, last ${relativeTime(share.lastViewedAt, now)}` : ''} · starts {share.tokenPrefix}…
                </p>
              </div>
              {isLive(share, now) ? (
                <button
                  type="button"
                  className="brutal-button"
                  disabled={revoke.isPending}
                  onClick={() => void revokeShare(share.id)}
                  aria-label={`Revoke the link made by ${share.createdByName} ${relativeTime(share.createdAt, now)}`}
                >
                  Revoke
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
