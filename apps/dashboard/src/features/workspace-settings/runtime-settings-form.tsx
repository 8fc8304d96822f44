import type { WorkspaceRuntimeSettings } from '@mission-control/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';
import { useUpdateRuntimeSettings } from './workspace-api';

/** Each runtime setting with the one line that says what it does. */
export const runtimeToggles: { key: keyof WorkspaceRuntimeSettings; label: string; explanation: string }[] = [
  {
    key: 'autoAssign',
    label: 'Auto-assignment',
    explanation: 'New inbox tasks without an assignee go to the best available agent as they are created.',
  },
  {
    key: 'humanReview',
    label: 'Review by people',
    explanation: 'Finished work waits in Review for a person; when off and no reviewer agent exists, it goes straight to Done.',
  },
];

/** Says a setting's state in plain words, for those who only read it. */
export function onOff(value: boolean): string {
  return value ? 'On' : 'Off';
}

/** The runtime settings as toggles; Save sends only the toggles that changed. */
export function RuntimeSettingsForm({ settings }: { settings: WorkspaceRuntimeSettings }) {
  const update = useUpdateRuntimeSettings();
  const [draft, setDraft] = useState(settings);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setDraft(settings), [settings]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes: Partial<WorkspaceRuntimeSettings> = {};
    for (const toggle of runtimeToggles) if (draft[toggle.key] !== settings[toggle.key]) changes[toggle.key] = draft[toggle.key];
    if (Object.keys(changes).length === 0) {
      setProblem('Nothing changed.');
      return;
    }
    setProblem(null);
    update.mutate(changes, { onSuccess: () => showToast('Agent settings saved.', 'success') });
  };

  const message = problem ?? (update.isError ? describeError(update.error) : null);
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Agent settings">
      {runtimeToggles.map((toggle) => (
        <div key={toggle.key} className="flex items-start gap-2">
          <input
            id={`runtime-${toggle.key}`}
            type="checkbox"
            className="mt-1 size-5 accent-[var(--color-signal)]"
            checked={draft[toggle.key]}
            aria-describedby={`runtime-${toggle.key}-help`}
            onChange={(event) => setDraft((current) => ({ ...current, [toggle.key]: event.target.checked }))}
          />
          <div>
            <label htmlFor={`runtime-${toggle.key}`} className="font-bold">
              {toggle.label}
            </label>
            <p id={`runtime-${toggle.key}-help`} className="text-sm text-ink-muted">
              {toggle.explanation}
            </p>
          </div>
        </div>
      ))}
      {message ? (
        <p role="alert" className="font-mono text-sm font-bold">
          {message}
        </p>
      ) : null}
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={update.isPending}>
        Save agent settings
      </button>
    </form>
  );
}
