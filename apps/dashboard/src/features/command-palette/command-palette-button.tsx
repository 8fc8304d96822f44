import { lazy, Suspense, useEffect, useState } from 'react';

// The dialog and its search load the first time the palette opens, outside the initial bundle.
const CommandPalette = lazy(() => import('./command-palette'));

/** The header's "Search ⌘K" button, and Ctrl-K / Cmd-K from anywhere in the app. */
export function CommandPaletteButton() {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        // Browsers put Ctrl-K in their own address bar; here it opens the palette.
        event.preventDefault();
        setLoaded(true);
        setOpen((wasOpen) => !wasOpen);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    <>
      <button
        type="button"
        className="brutal-button"
        aria-keyshortcuts="Control+K Meta+K"
        onClick={() => {
          setLoaded(true);
          setOpen(true);
        }}
      >
        Search <kbd className="hidden font-mono text-xs sm:inline">⌘K</kbd>
      </button>
      {loaded ? (
        <Suspense fallback={null}>
          <CommandPalette open={open} onOpenChange={setOpen} />
        </Suspense>
      ) : null}
    </>
  );
}
