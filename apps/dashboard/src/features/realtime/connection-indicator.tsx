import type { ConnectionState } from '@mission-control/sdk';
import { useNow } from '../../lib/use-now';
import { useConnectionStatus } from './realtime-provider';

const look: Record<ConnectionState, { label: string; className: string }> = {
  live: { label: 'Live', className: 'bg-status-active text-black' },
  connecting: { label: 'Connecting', className: 'bg-status-idle text-black' },
  reconnecting: { label: 'Reconnecting', className: 'bg-status-idle text-black' },
  offline: { label: 'Offline', className: 'bg-status-blocked text-black' },
  closed: { label: 'Disconnected', className: 'bg-status-offline text-black' },
  idle: { label: 'Not connected', className: 'bg-status-offline text-black' },
};

/** Says in words and color whether live updates are flowing, and when the next attempt is. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const now = useNow();
  const { label, className } = look[status.state];
  const retryIn =
    status.state === 'reconnecting' && status.nextAttemptAt ? Math.max(0, Math.ceil((status.nextAttemptAt - now) / 1000)) : null;
  return (
    <output
      data-testid="connection-indicator"
      data-state={status.state}
      title={
        status.lastError
          ? `${status.lastError.code}: ${status.lastError.message}`
          : status.lastSeq !== null
            ? `Last event #${status.lastSeq}`
            : 'No events yet'
      }
      className={`inline-flex items-center gap-1.5 border-2 border-ink px-2 py-0.5 font-mono text-xs font-bold uppercase ${className}`}
    >
      <span aria-hidden="true" className={`inline-block size-2 bg-black ${status.state === 'live' ? 'animate-pulse' : ''}`} />
      {label}
      {retryIn !== null ? <span className="font-normal normal-case">in {retryIn} s</span> : null}
    </output>
  );
}
