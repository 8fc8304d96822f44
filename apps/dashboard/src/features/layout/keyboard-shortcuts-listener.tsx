import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { isShortcutCandidate, matchShortcut, type Shortcut } from './keyboard-shortcuts';

// What the shortcuts open (radix dialogs, the task form, the palette) loads on first use, outside the initial bundle.
const CommandPalette = lazy(() => import('../command-palette/command-palette'));
const ShortcutDialogs = lazy(() => import('./shortcut-dialogs'));

/** How long "g" waits for its second key; long enough to find it, short enough not to surprise later. */
const sequenceWindowMs = 1_500;

/**
 * Listens for the shortcuts anywhere in the app and owns what they open: the list (`?`), a new task
 * (`c`), search (`/`). It also shows the header's `?` button, so the list can be found without
 * knowing the key; the button hides on narrow screens, where there is rarely a keyboard.
 */
export function KeyboardShortcuts() {
  const navigate = useNavigate();
  const [helpOpen, setHelpOpen] = useState(false);
  const [newTaskOpen, setNewTaskOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [paletteLoaded, setPaletteLoaded] = useState(false);
  const [dialogsLoaded, setDialogsLoaded] = useState(false);
  const pending = useRef<string[]>([]);
  const expiry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const run = (shortcut: Shortcut) => {
      const action = shortcut.action;
      if (action.kind === 'help' || action.kind === 'new-task') {
        setDialogsLoaded(true);
        if (action.kind === 'help') setHelpOpen(true);
        else setNewTaskOpen(true);
      } else if (action.kind === 'search') {
        setPaletteLoaded(true);
        setPaletteOpen(true);
      } else navigate(action.to);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isShortcutCandidate(event) || document.querySelector('[role="dialog"]')) {
        pending.current = [];
        return;
      }
      clearTimeout(expiry.current);
      let match = matchShortcut([...pending.current, event.key]);
      // "g" then a key that completes nothing: that key counts on its own.
      if (match.kind === 'none' && pending.current.length > 0) match = matchShortcut([event.key]);
      pending.current = [];
      if (match.kind === 'none') return;
      // The key is ours: "/" must not also land in the field the palette focuses.
      event.preventDefault();
      if (match.kind === 'pending') {
        pending.current = match.keys;
        expiry.current = setTimeout(() => {
          pending.current = [];
        }, sequenceWindowMs);
      } else run(match.shortcut);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      clearTimeout(expiry.current);
    };
  }, [navigate]);

  return (
    <>
      <button
        type="button"
        className="brutal-button hidden font-mono sm:inline-block"
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="Shift+?"
        title="Keyboard shortcuts (?)"
        onClick={() => {
          setDialogsLoaded(true);
          setHelpOpen(true);
        }}
      >
        ?
      </button>
      {dialogsLoaded ? (
        <Suspense fallback={null}>
          <ShortcutDialogs
            helpOpen={helpOpen}
            onHelpOpenChange={setHelpOpen}
            newTaskOpen={newTaskOpen}
            onNewTaskOpenChange={setNewTaskOpen}
          />
        </Suspense>
      ) : null}
      {paletteLoaded ? (
        <Suspense fallback={null}>
          <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} />
        </Suspense>
      ) : null}
    </>
  );
}
