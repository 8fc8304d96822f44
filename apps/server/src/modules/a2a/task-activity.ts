import type { StreamedEvent } from '../../events/event-tailer.js';

/** Where committed events come from: the instance's event tailer. */
export interface TaskActivitySource {
  subscribe(listener: (events: StreamedEvent[]) => void): () => void;
}

export interface TaskActivity {
  /** Resolves true once something happened to the task since the last call, false when aborted. */
  next(): Promise<boolean>;
  stop(): void;
}

/** Wake-ups for one task's events (its status, thread, documents), from now until stopped or aborted. */
export function waitForTaskActivity(source: TaskActivitySource, workspaceId: string, taskId: string, signal: AbortSignal): TaskActivity {
  let pending = false;
  let wake: ((happened: boolean) => void) | undefined;
  const settle = (happened: boolean) => {
    const resolve = wake;
    wake = undefined;
    resolve?.(happened);
  };
  const unsubscribe = source.subscribe((events) => {
    if (!events.some((event) => event.workspaceId === workspaceId && event.activity.taskId === taskId)) return;
    pending = true;
    settle(true);
  });
  const onAbort = () => settle(false);
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    next() {
      if (signal.aborted) return Promise.resolve(false);
      if (pending) {
        pending = false;
        return Promise.resolve(true);
      }
      return new Promise<boolean>((resolve) => {
        wake = (happened) => {
          pending = false;
          resolve(happened);
        };
      });
    },
    stop() {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      settle(false);
    },
  };
}
