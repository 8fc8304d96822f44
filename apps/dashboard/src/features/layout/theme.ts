import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const storageKey = 'mission-control.theme';
const listeners = new Set<() => void>();

function readChoice(): ThemeChoice {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(storageKey) : null;
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** Applies the choice as data-theme on <html>; 'system' removes it so the CSS media query decides. */
export function applyTheme(choice: ThemeChoice = readChoice()): void {
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

export function setTheme(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(storageKey);
  else localStorage.setItem(storageKey, choice);
  applyTheme(choice);
  for (const listener of listeners) listener();
}

export function useTheme(): ThemeChoice {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, readChoice);
}
