import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
  /** A drawer slides in from the right and fills the height; a dialog sits in the middle. */
  variant?: 'dialog' | 'drawer';
}

/** Radix dialog in the house style: focus trapped, Escape closes, the title labels it. */
export function Dialog({ open, onOpenChange, title, description, children, variant = 'dialog' }: DialogProps) {
  const position =
    variant === 'drawer'
      ? 'fixed inset-y-0 right-0 w-full max-w-3xl overflow-y-auto border-l-[3px]'
      : 'fixed top-1/2 left-1/2 max-h-[90vh] w-[min(36rem,calc(100vw-1.5rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto border-[3px] shadow-[8px_8px_0_0_var(--color-ink)]';
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/60" />
        <RadixDialog.Content
          className={`${position} z-40 border-ink bg-paper p-4 text-ink sm:p-6`}
          onEscapeKeyDown={(event) => {
            // Escape closes only the innermost popup: a field with its own (an @mention list) keeps it.
            if (document.activeElement?.closest('[data-escape-local="true"]')) event.preventDefault();
          }}
        >
          <div className="mb-4 flex items-start justify-between gap-4 border-b-[3px] border-ink pb-2">
            <RadixDialog.Title className="text-xl font-black uppercase tracking-tight">{title}</RadixDialog.Title>
            <RadixDialog.Close className="brutal-button" aria-label="Close">
              ✕
            </RadixDialog.Close>
          </div>
          {description ? (
            <RadixDialog.Description className="mb-3 text-sm text-ink-muted">{description}</RadixDialog.Description>
          ) : (
            <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
          )}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
