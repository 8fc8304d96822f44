import { type AlertSettings, updateAlertSettingsSchema } from '@mission-control/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorState, Skeleton } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';
import { useAlertSettings, useUpdateAlertSettings } from './alerts-api';

/** Each threshold in words, with the unit a person types. */
const fields: { key: keyof AlertSettings; label: string; step: string }[] = [
  { key: 'stalledAgentMedianMultiple', label: 'Stalled agent: times its median run without progress', step: '0.5' },
  { key: 'stalledAgentFloorMinutes', label: 'Stalled agent: never before (minutes)', step: '1' },
  { key: 'errorRateMultiple', label: 'Failures: times the usual hour', step: '0.5' },
  { key: 'errorRateMinimumFailures', label: 'Failures: at least (runs in an hour)', step: '1' },
  { key: 'costSpikeMultiple', label: 'Spending: times the usual hour', step: '0.5' },
  { key: 'costSpikeMinimumMicroDollars', label: 'Spending: at least (micro-dollars in an hour)', step: '1' },
  { key: 'stuckWorkflowRunMinutes', label: 'Workflow run stuck after (minutes)', step: '1' },
  { key: 'eventStreamLagSeconds', label: 'Event stream behind by (seconds)', step: '1' },
  { key: 'diskFreePercentBelow', label: 'Disk free below (%)', step: '1' },
];

/** The detector's thresholds, for owners and admins. */
export function AlertSettingsForm() {
  const settings = useAlertSettings(true);
  const update = useUpdateAlertSettings();
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setValues(Object.fromEntries(Object.entries(settings.data).map(([key, value]) => [key, String(value)])));
  }, [settings.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = updateAlertSettingsSchema.safeParse(
      Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)])),
    );
    if (!parsed.success) {
      const field = fields.find((each) => each.key === parsed.error.issues[0]?.path[0]);
      setProblem(`${field?.label ?? 'A threshold'}: ${parsed.error.issues[0]?.message ?? 'not a valid number'}.`);
      return;
    }
    setProblem(null);
    update.mutate(parsed.data, { onSuccess: () => showToast('Thresholds saved.', 'success') });
  };

  return (
    <section className="flex flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby="alert-settings-title">
      <h2 id="alert-settings-title" className="text-xl font-black uppercase">
        Thresholds
      </h2>
      {settings.isPending ? (
        <Skeleton className="h-40" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} what="the thresholds" />
      ) : (
        <form className="grid gap-2 sm:grid-cols-2" onSubmit={submit} aria-label="Alert thresholds">
          {fields.map((field) => (
            <div key={field.key}>
              <label className="brutal-label" htmlFor={`threshold-${field.key}`}>
                {field.label}
              </label>
              <input
                id={`threshold-${field.key}`}
                type="number"
                step={field.step}
                className="brutal-input w-full"
                value={values[field.key] ?? ''}
                onChange={(event) => setValues((current) => ({ ...current, [field.key]: event.target.value }))}
              />
            </div>
          ))}
          <div className="sm:col-span-2 flex flex-col gap-2">
            {problem || update.isError ? (
              <p role="alert" className="font-mono text-sm">
                {problem ?? describeError(update.error)}
              </p>
            ) : null}
            <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={update.isPending}>
              Save thresholds
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
