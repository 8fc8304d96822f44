import { type ComponentPropsWithRef, forwardRef } from 'react';

/** The account menu's trigger: the visible name is the start of its accessible name. */
export const AccountButton = forwardRef<HTMLButtonElement, ComponentPropsWithRef<'button'> & { name: string | undefined }>(
  function AccountButton({ name, ...props }, ref) {
    return (
      <button ref={ref} type="button" className="brutal-button max-w-40 truncate" {...props}>
        {name ?? 'Account'}
        <span className="sr-only"> (account menu)</span>
      </button>
    );
  },
);
