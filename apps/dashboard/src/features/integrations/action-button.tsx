import { useState } from 'react';
import { runWithToast } from './run-with-toast';

/**
 * A button that runs one action against the server, says in a toast how it went, and is disabled
 * while it runs; `after` gets the result (undefined when it failed), to refresh a list or show a secret.
 */
export function ActionButton<Result>(props: {
  label: string;
  action: () => Promise<Result>;
  done: (result: Result) => string;
  after?: (result: Result | undefined) => unknown;
  disabled?: boolean;
  variant?: 'danger';
  onStart?: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    props.onStart?.();
    setBusy(true);
    const result = await runWithToast(props.action, props.done);
    setBusy(false);
    await props.after?.(result);
  };
  return (
    <button
      type="button"
      className="brutal-button"
      data-variant={props.variant}
      disabled={props.disabled || busy}
      onClick={() => void run()}
    >
      {props.label}
    </button>
  );
}
