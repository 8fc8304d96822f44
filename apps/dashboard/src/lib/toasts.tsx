import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  tone: 'info' | 'error' | 'success';
  message: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** Shows a short message in the corner; errors stay longer because they usually need reading. */
export function showToast(message: string, tone: Toast['tone'] = 'info'): void {
  const id = nextId++;
  toasts = [...toasts.slice(-4), { id, tone, message }];
  emit();
  setTimeout(() => dismissToast(id), tone === 'error' ? 8_000 : 4_000);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): Toast[] {
  return useSyncExternalStore(
    subscribe,
    () => toasts,
    () => toasts,
  );
}

export function Toaster() {
  const list = useToasts();
  return (
    <div aria-live="polite" className="fixed right-3 bottom-3 z-50 flex w-[min(26rem,calc(100vw-1.5rem))] flex-col gap-2">
      {list.map((toast) => (
        <div
          key={toast.id}
          role={toast.tone === 'error' ? 'alert' : 'status'}
          className={`flex items-start justify-between gap-3 border-[3px] border-ink p-3 font-bold shadow-[var(--shadow-hard)] ${
            toast.tone === 'error' ? 'bg-status-blocked text-black' : toast.tone === 'success' ? 'bg-status-active text-black' : 'bg-paper'
          }`}
        >
          <span>{toast.message}</span>
          <button type="button" className="font-black" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
