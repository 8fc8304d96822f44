import { Dialog } from '../../components/dialog';
import { TaskForm } from '../tasks/task-form';
import { shortcuts } from './keyboard-shortcuts';

interface ShortcutDialogsProps {
  helpOpen: boolean;
  onHelpOpenChange: (open: boolean) => void;
  newTaskOpen: boolean;
  onNewTaskOpenChange: (open: boolean) => void;
}

/** The `?` list of shortcuts and the `c` new-task form: radix dialogs, so focus stays inside and Escape closes. */
export default function ShortcutDialogs({ helpOpen, onHelpOpenChange, newTaskOpen, onNewTaskOpenChange }: ShortcutDialogsProps) {
  return (
    <>
      <Dialog
        open={helpOpen}
        onOpenChange={onHelpOpenChange}
        title="Keyboard shortcuts"
        description="They work anywhere, except while you type in a field. Ctrl-K (⌘K on a Mac) opens search from anywhere."
      >
        <dl className="grid grid-cols-[auto_1fr] items-center gap-x-4 gap-y-2">
          {shortcuts.map((shortcut) => (
            <div key={shortcut.keys.join(' ')} className="contents">
              <dt className="flex items-center gap-1 font-mono text-sm">
                {shortcut.keys.map((key, index) => (
                  <span key={key} className="flex items-center gap-1">
                    {index > 0 ? <span className="text-xs">then</span> : null}
                    <kbd className="border-2 border-ink px-1.5 font-bold">{key}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{shortcut.description}</dd>
            </div>
          ))}
        </dl>
      </Dialog>
      <Dialog open={newTaskOpen} onOpenChange={onNewTaskOpenChange} title="New task">
        <TaskForm onDone={() => onNewTaskOpenChange(false)} />
      </Dialog>
    </>
  );
}
