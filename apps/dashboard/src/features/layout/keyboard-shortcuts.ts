/**
 * Single-key shortcuts for people who steer from the keyboard. The list is the one the `?`
 * dialog shows, so a shortcut cannot exist without being documented there.
 */
export type ShortcutAction = { kind: 'help' } | { kind: 'new-task' } | { kind: 'search' } | { kind: 'go'; to: string };

export interface Shortcut {
  /** The keys in order, as `event.key` reports them: ['g', 'b'] is "g then b". */
  keys: string[];
  description: string;
  action: ShortcutAction;
}

export const shortcuts: Shortcut[] = [
  { keys: ['?'], description: 'Show these shortcuts', action: { kind: 'help' } },
  { keys: ['c'], description: 'Create a task', action: { kind: 'new-task' } },
  { keys: ['/'], description: 'Search the workspace', action: { kind: 'search' } },
  { keys: ['g', 'b'], description: 'Go to the board', action: { kind: 'go', to: '/' } },
  { keys: ['g', 't'], description: 'Go to tasks', action: { kind: 'go', to: '/tasks' } },
  { keys: ['g', 'a'], description: 'Go to agents', action: { kind: 'go', to: '/agents' } },
  { keys: ['g', 'd'], description: 'Go to documents', action: { kind: 'go', to: '/documents' } },
  { keys: ['g', 'i'], description: 'Go to the inbox', action: { kind: 'go', to: '/notifications' } },
  { keys: ['g', 'w'], description: 'Go to WORKING.md', action: { kind: 'go', to: '/working' } },
];

/** True where a key press is text being typed: fields, selects and editable regions. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select')) return true;
  return target.closest('[contenteditable]:not([contenteditable="false"])') !== null;
}

export type ShortcutMatch = { kind: 'none' } | { kind: 'pending'; keys: string[] } | { kind: 'matched'; shortcut: Shortcut };

/** What the keys pressed so far mean: a whole shortcut, the start of one (after `g`), or nothing. */
export function matchShortcut(pressed: string[]): ShortcutMatch {
  const exact = shortcuts.find((shortcut) => shortcut.keys.join(' ') === pressed.join(' '));
  if (exact) return { kind: 'matched', shortcut: exact };
  const starts = shortcuts.some(
    (shortcut) => shortcut.keys.length > pressed.length && pressed.every((key, index) => shortcut.keys[index] === key),
  );
  return starts ? { kind: 'pending', keys: pressed } : { kind: 'none' };
}

/** Shortcuts never take a key chord (Ctrl-K stays the palette's) nor a key typed into a field. */
export function isShortcutCandidate(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.repeat || event.isComposing) return false;
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  return !isTypingTarget(event.target);
}
