import { useSyncExternalStore } from 'react';

// One shared ticking clock, so fifty agent cards re-render together once a second instead of owning fifty timers.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      for (const each of listeners) each();
    }, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, updated every second while something is watching. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
