import {
  maxRetentionDays,
  minRetentionDays,
  type RetentionSettings,
  type UpdateRetentionSettingsInput,
  updateRetentionSettingsSchema,
} from '@mission-control/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';
import { useUpdateRetentionSettings } from './workspace-api';

type Field = keyof RetentionSettings;
type Choice = 'forever' | '30' | '90' | '365' | 'custom';
type Draft = Record<Field, { choice: Choice; custom: string }>;

/** The presets of the select, in days; anything else is "Custom". */
const presets = [30, 90, 365] as const;

/** Each setting with what it covers, in the words of the page. */
export const retentionFields: { key: Field; label: string; explanation: string }[] = [
  {
    key: 'messagesDays',
    label: 'Task messages',
    explanation:
      'Comments and replies on tasks, with their reactions, attached files and the mention and reply notifications that quote them. Threads of tasks that are still open are kept until the task is done, failed or cancelled.',
  },
  {
    key: 'runsDays',
    label: 'Run transcripts',
    explanation:
      'What agents were asked and did in each run: the prompt, every step, the output and errors. The run itself stays with its tokens, cost and duration, so budgets and cost reports stay right.',
  },
];

/** A retention in plain words: "Keep forever" or "90 days". */
export function describeRetention(days: number | null): string {
  if (days === null) return 'Keep forever';
  return days === 1 ? '1 day' : `${days} days`;
}

function choiceOf(days: number | null): { choice: Choice; custom: string } {
  if (days === null) return { choice: 'forever', custom: '' };
  const preset = presets.find((value) => value === days);
  return preset ? { choice: String(preset) as Choice, custom: '' } : { choice: 'custom', custom: String(days) };
}

function draftOf(settings: RetentionSettings): Draft {
  return { messagesDays: choiceOf(settings.messagesDays), runsDays: choiceOf(settings.runsDays) };
}

/** What a field's draft asks for: null (forever), a number of days, or NaN for a custom value that is no number. */
function daysOf(entry: Draft[Field]): number | null {
  if (entry.choice === 'forever') return null;
  if (entry.choice === 'custom') return entry.custom.trim() === '' ? Number.NaN : Number(entry.custom);
  return Number(entry.choice);
}

/** True when the new value deletes more than the current one: forever → days, or fewer days. */
function shortens(current: number | null, next: number | null): boolean {
  if (next === null || Number.isNaN(next)) return false;
  return current === null || next < current;
}

/** The body for PUT /workspace/retention with only the fields the person changed. */
export function retentionChangesOf(settings: RetentionSettings, draft: Draft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const { key } of retentionFields) {
    const next = daysOf(draft[key]);
    if (next !== settings[key]) changes[key] = next;
  }
  return changes;
}

/** How long messages and run transcripts are kept, for owners and admins. */
export function RetentionForm({ settings }: { settings: RetentionSettings }) {
  const update = useUpdateRetentionSettings();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [problem, setProblem] = useState<string | null>(null);
  // The server's values win after a save or another admin's change.
  useEffect(() => setDraft(draftOf(settings)), [settings]);

  const setEntry = (key: Field, change: Partial<Draft[Field]>) =>
    setDraft((current) => ({ ...current, [key]: { ...current[key], ...change } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes = retentionChangesOf(settings, draft);
    if (Object.keys(changes).length === 0) {
      setProblem('Nothing changed.');
      return;
    }
    const parsed = updateRetentionSettingsSchema.safeParse(changes);
    if (!parsed.success) {
      const field = retentionFields.find(({ key }) => parsed.error.issues[0]?.path[0] === key);
      setProblem(`${field?.label ?? 'Each value'}: a whole number of days from ${minRetentionDays} to ${maxRetentionDays}.`);
      return;
    }
    setProblem(null);
    update.mutate(parsed.data as UpdateRetentionSettingsInput, { onSuccess: () => showToast('Data retention saved.', 'success') });
  };

  const shortened = retentionFields.filter(({ key }) => shortens(settings[key], daysOf(draft[key])));
  const message = problem ?? (update.isError ? describeError(update.error) : null);
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Data retention" noValidate>
      {retentionFields.map((field) => {
        const entry = draft[field.key];
        return (
          <div key={field.key} className="flex flex-col gap-1">
            <label className="brutal-label" htmlFor={`retention-${field.key}`}>
              {field.label}
            </label>
            <p id={`retention-${field.key}-help`} className="text-sm text-ink-muted">
              {field.explanation}
            </p>
            <div className="flex flex-wrap items-center gap-2">
              <select
                id={`retention-${field.key}`}
                className="brutal-input"
                aria-describedby={`retention-${field.key}-help`}
                value={entry.choice}
                onChange={(event) => setEntry(field.key, { choice: event.target.value as Choice })}
              >
                <option value="forever">Keep forever</option>
                {presets.map((days) => (
                  <option key={days} value={String(days)}>
                    {describeRetention(days)}
                  </option>
                ))}
                <option value="custom">Custom…</option>
              </select>
              {entry.choice === 'custom' ? (
                <>
                  <label className="sr-only" htmlFor={`retention-${field.key}-days`}>
                    {field.label}: days to keep
                  </label>
                  <input
                    id={`retention-${field.key}-days`}
                    type="number"
                    inputMode="numeric"
                    min={minRetentionDays}
                    max={maxRetentionDays}
                    step={1}
                    className="brutal-input w-28"
                    value={entry.custom}
                    onChange={(event) => setEntry(field.key, { custom: event.target.value })}
                  />
                  <span aria-hidden="true">days</span>
                </>
              ) : null}
            </div>
          </div>
        );
      })}
      {shortened.length > 0 ? (
        <p className="border-[3px] border-ink bg-paper-alt p-2 text-sm font-bold" data-testid="retention-warning">
          Saving deletes {shortened.map((field) => field.label.toLowerCase()).join(' and ')} older than the new limit within the hour. This
          cannot be undone.
        </p>
      ) : null}
      {message ? (
        <p role="alert" className="font-mono text-sm font-bold">
          {message}
        </p>
      ) : null}
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={update.isPending}>
        Save data retention
      </button>
    </form>
  );
}
