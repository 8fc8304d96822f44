import { type Alert, type AlertKind, type AlertStatus, alertKindSchema } from '@mission-control/contracts';
import { useState } from 'react';
import { ViewButtons } from '../../components/decision-controls';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { usePrincipalDirectory } from '../people/people-api';
import { AlertSettingsForm } from './alert-settings-form';
import { useAlerts, useChangeAlert, useLiveAlerts } from './alerts-api';

const views: { status: AlertStatus | 'all'; label: string }[] = [
  { status: 'open', label: 'Open' },
  { status: 'acknowledged', label: 'Acknowledged' },
  { status: 'resolved', label: 'Resolved' },
  { status: 'all', label: 'All' },
];

/** Plain words for each kind of alert. */
export const alertKindLabels: Record<AlertKind, string> = {
  'stalled-agent': 'Stalled agent',
  'error-rate-spike': 'Failures rising',
  'cost-spike': 'Spending spike',
  'stuck-workflow-run': 'Stuck workflow run',
  'event-stream-lag': 'Event stream behind',
  'disk-almost-full': 'Disk almost full',
};

/** What the anomaly detector found: filter, acknowledge, resolve; owners and admins also set its thresholds. */
export default function AlertsPage() {
  usePageTitle('Alerts');
  const session = useSession();
  const [status, setStatus] = useState<AlertStatus | 'all'>('open');
  const [kind, setKind] = useState<AlertKind | 'all'>('all');
  const alerts = useAlerts(status, kind);
  useLiveAlerts();
  const canConfigure = session?.role === 'owner' || session?.role === 'admin';
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Alerts</h1>
      <div className="flex flex-wrap items-end gap-3">
        <ViewButtons views={views} value={status} onChange={setStatus} />
        <div>
          <label className="brutal-label" htmlFor="alert-kind">
            Kind
          </label>
          <select
            id="alert-kind"
            className="brutal-input"
            value={kind}
            onChange={(event) => setKind(event.target.value === 'all' ? 'all' : alertKindSchema.parse(event.target.value))}
          >
            <option value="all">Every kind</option>
            {alertKindSchema.options.map((option) => (
              <option key={option} value={option}>
                {alertKindLabels[option]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {alerts.isPending ? (
        <SkeletonList />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} what="the alerts" />
      ) : alerts.data.data.length === 0 ? (
        <EmptyState title={status === 'open' ? 'Nothing needs attention' : 'No alerts here'}>
          Every minute the detector looks for stalled agents, rising failures or spending, stuck workflow runs, a lagging event stream and a
          full disk.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Alerts">
          {alerts.data.data.map((alert) => (
            <AlertCard key={alert.id} alert={alert} />
          ))}
        </ul>
      )}
      {canConfigure ? <AlertSettingsForm /> : null}
    </div>
  );
}

function AlertCard({ alert }: { alert: Alert }) {
  const now = useNow();
  const directory = usePrincipalDirectory();
  const change = useChangeAlert();
  const act = (action: 'acknowledge' | 'resolve') =>
    change.mutate(
      { alertId: alert.id, action },
      { onSuccess: () => showToast(action === 'acknowledge' ? 'Acknowledged.' : 'Resolved.', 'success') },
    );
  return (
    <li className="flex flex-col gap-2 border-[3px] border-ink p-3" data-alert={alert.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          {alertKindLabels[alert.kind]}: {alert.subject.name}
        </h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase">{alert.status}</span>
      </div>
      <p className="break-words">{alert.summary}</p>
      <p className="font-mono text-xs text-ink-muted">
        <span title={formatDateTime(alert.raisedAt)}>Raised {relativeTime(alert.raisedAt, now)}</span>
        {alert.acknowledgedAt ? (
          <span title={formatDateTime(alert.acknowledgedAt)}>
            {' '}
            · acknowledged {relativeTime(alert.acknowledgedAt, now)}
            {alert.acknowledgedBy ? ` by ${directory.nameOf(alert.acknowledgedBy)}` : ''}
          </span>
        ) : null}
        {alert.resolvedAt ? (
          <span title={formatDateTime(alert.resolvedAt)}>
            {' '}
            · resolved {relativeTime(alert.resolvedAt, now)}
            {alert.resolvedBy ? ` by ${directory.nameOf(alert.resolvedBy)}` : ' by itself (the condition cleared)'}
          </span>
        ) : null}
      </p>
      {alert.status === 'resolved' ? null : (
        <div className="flex flex-wrap gap-2">
          {alert.status === 'open' ? (
            <button type="button" className="brutal-button" disabled={change.isPending} onClick={() => act('acknowledge')}>
              Acknowledge
            </button>
          ) : null}
          <button type="button" className="brutal-button" data-variant="primary" disabled={change.isPending} onClick={() => act('resolve')}>
            Resolve
          </button>
        </div>
      )}
      {change.isError ? (
        <p role="alert" className="font-mono text-sm">
          {describeError(change.error)}
        </p>
      ) : null}
    </li>
  );
}
