import { useEffect } from 'react';
import { type Location, useBlocker } from 'react-router';
import { Dialog } from '../../components/dialog';

/** Whether a navigation leaves the page the unsaved work is on; by default, any other path. */
export type LeavesPage = (from: Location, to: Location) => boolean;

const otherPath: LeavesPage = (from, to) => from.pathname !== to.pathname;

/**
 * Asks before unsaved work is lost: an in-app navigation waits for "Leave without saving" in a
 * dialog, and closing or reloading the tab gets the browser's own question.
 */
export function UnsavedChangesPrompt({
  when,
  what,
  leaves = otherPath,
}: {
  when: boolean;
  /** What is unsaved, for the dialog: "your changes to this document". */
  what: string;
  leaves?: LeavesPage;
}) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => when && leaves(currentLocation, nextLocation));

  useEffect(() => {
    if (!when) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium and Safari only ask when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [when]);

  const blocked = blocker.state === 'blocked';
  return (
    <Dialog
      open={blocked}
      onOpenChange={(open) => {
        if (!open && blocker.state === 'blocked') blocker.reset();
      }}
      title="Leave without saving?"
      description={`You have not saved ${what}. Leaving now loses them; stay to save them first.`}
    >
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className="brutal-button" data-variant="primary" onClick={() => blocker.reset?.()}>
          Stay and keep editing
        </button>
        <button type="button" className="brutal-button" onClick={() => blocker.proceed?.()}>
          Leave without saving
        </button>
      </div>
    </Dialog>
  );
}
