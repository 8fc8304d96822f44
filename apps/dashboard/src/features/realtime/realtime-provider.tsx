import { endpoints } from '@mission-control/contracts';
import type { ConnectionStatus, EventHandler, EventTopic } from '@mission-control/sdk';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { queryKeys } from '../../lib/query-keys';
import { useServices } from '../../lib/services-context';
import { storeTask } from '../tasks/tasks-api';
import { applyActivity } from './apply-activity';

/**
 * Starts the app's event stream while signed in and wires it to the query cache: events patch
 * the cache at once; refetches they cause are batched per animation frame; a reconnect that
 * resumed after a gap refreshes everything, in case the server could not replay all of it.
 */
export function RealtimeBridge({ signedIn }: { signedIn: boolean }) {
  const { realtime, client } = useServices();
  const queryClient = useQueryClient();
  const pending = useRef(new Map<string, QueryKey>());
  const pendingTasks = useRef(new Set<string>());
  const frame = useRef<number | null>(null);

  useEffect(() => {
    if (!signedIn) {
      realtime.stop();
      return;
    }
    const flush = () => {
      frame.current = null;
      const keys = [...pending.current.values()];
      pending.current.clear();
      for (const key of keys) void queryClient.invalidateQueries({ queryKey: key });
      const taskIds = [...pendingTasks.current];
      pendingTasks.current.clear();
      for (const taskId of taskIds) {
        client
          .request(endpoints.getTask, { params: { id: taskId } })
          .then((task) => storeTask(queryClient, task))
          .catch(() => void queryClient.invalidateQueries({ queryKey: queryKeys.board }));
      }
    };
    const schedule = () => {
      if (frame.current === null) frame.current = requestAnimationFrame(flush);
    };
    const actions = {
      invalidate: (key: QueryKey) => {
        pending.current.set(JSON.stringify(key), key);
        schedule();
      },
      refreshTask: (taskId: string) => {
        pendingTasks.current.add(taskId);
        schedule();
      },
    };
    const offEvents = realtime.subscribe('*', (activity) => applyActivity(queryClient, activity, actions));
    const offReady = realtime.onReady(({ resumed }) => {
      if (resumed) void queryClient.invalidateQueries();
    });
    const online = () => realtime.reconnectNow();
    const offline = () => realtime.markOffline();
    const visible = () => document.visibilityState === 'visible' && realtime.reconnectNow();
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    realtime.start();
    return () => {
      offEvents();
      offReady();
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      realtime.stop();
    };
  }, [signedIn, realtime, queryClient, client]);

  return null;
}

export function useConnectionStatus(): ConnectionStatus {
  const { realtime } = useServices();
  return useSyncExternalStore(
    (listener) => realtime.onStatus(listener),
    () => realtime.status,
  );
}

/** Runs the handler for every live event on a topic ('task:<id>', 'type:message-posted', …). */
export function useRealtimeTopic(topic: EventTopic | null, handler: EventHandler): void {
  const { realtime } = useServices();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!topic) return;
    return realtime.subscribe(topic, (activity, seq) => latest.current(activity, seq));
  }, [realtime, topic]);
}
