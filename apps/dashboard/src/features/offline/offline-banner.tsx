import type { ConnectionStatus, EventStream } from '@mission-control/sdk';
import { useSyncExternalStore } from 'react';

/** The part of the event stream the banner watches. */
export type WatchedStream = Pick<EventStream, 'status' | 'onStatus'>;

function subscribeOnline(listener: () => void) {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

function useBrowserOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

// 'idle' and 'closed' mean nobody asked for live updates (signed out), not that they broke.
function isStreamDown(status: ConnectionStatus): boolean {
  return status.state === 'offline' || status.state === 'reconnecting';
}

/**
 * Says plainly when what is on screen may be stale: the browser has no network, or the live
 * stream dropped. The service worker only serves the app shell, so data stays what was loaded.
 */
export function OfflineBanner({ stream }: { stream: WatchedStream }) {
  const online = useBrowserOnline();
  const status = useSyncExternalStore(
    (listener) => stream.onStatus(listener),
    () => stream.status,
  );
  if (online && !isStreamDown(status)) return null;
  const reason = online
    ? 'Live updates stopped; reconnecting. Changes made elsewhere will show once it is back.'
    : 'This device has no network. Changes will show once it is back online.';
  return (
    <div
      role="status"
      data-testid="offline-banner"
      className="fixed inset-x-0 bottom-0 z-50 border-t-[3px] border-ink bg-status-idle px-3 py-2 text-sm text-black sm:px-5"
    >
      <strong className="font-black uppercase">Offline — showing what was loaded.</strong> <span>{reason}</span>
    </div>
  );
}
