import type { ReactNode } from 'react';
import { describeError, isMissingEndpoint } from '../lib/describe-error';

export function Skeleton({ className = '', label = 'Loading' }: { className?: string; label?: string }) {
  return <div className={`skeleton ${className}`} role="status" aria-label={label} />;
}

export function SkeletonList({ rows = 4, className = 'h-14' }: { rows?: number; className?: string }) {
  return (
    <div className="flex flex-col gap-2" aria-busy="true">
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={index} className={className} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="border-[3px] border-dashed border-ink p-5 text-center">
      <p className="font-black uppercase tracking-wide">{title}</p>
      {children ? <div className="mt-2 text-sm text-ink-muted">{children}</div> : null}
    </div>
  );
}

/** An error with a retry; an endpoint the server does not have yet reads as "not available" rather than broken. */
export function ErrorState({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what: string }) {
  const missing = isMissingEndpoint(error);
  return (
    <div role="alert" className="border-[3px] border-ink bg-paper-alt p-4">
      <p className="font-black uppercase">{missing ? `${what}: not available on this server yet` : `Could not load ${what}`}</p>
      <p className="mt-1 font-mono text-sm">
        {missing ? 'The server does not offer this endpoint. Update the server.' : describeError(error)}
      </p>
      {onRetry && !missing ? (
        <button type="button" className="brutal-button mt-3" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
