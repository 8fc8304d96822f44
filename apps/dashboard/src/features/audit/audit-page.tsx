import { type AuditAction, auditActionSchema } from '@mission-control/contracts';
import { useState } from 'react';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { usePrincipalDirectory } from '../people/people-api';
import { useAuditLog } from './audit-api';

type Fields = Record<string, unknown> | null;

/** A changed field's value in words: `—` for none, text as is, anything else as compact JSON. */
function showValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line per field that changed: "name: before → after". */
function ChangedFields({ before, after }: { before: Fields; after: Fields }) {
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (names.length === 0) return null;
  return (
    <ul className="flex flex-col gap-0.5">
      {names.map((name) => (
        <li key={name} className="break-all">
          <span className="font-bold">{name}</span>: {showValue(before?.[name])} → {showValue(after?.[name])}
        </li>
      ))}
    </ul>
  );
}

/** The audit trail: who did what, from where, with the fields before and after (owners and admins). */
export default function AuditPage() {
  const [action, setAction] = useState<AuditAction | undefined>(undefined);
  const log = useAuditLog(action);
  const directory = usePrincipalDirectory();
  const now = useNow();
  const actorName = (actor: { kind: string; id: string | null }) =>
    actor.kind === 'system' || !actor.id ? 'System' : directory.nameOf({ kind: actor.kind === 'agent' ? 'agent' : 'user', id: actor.id });
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Audit log</h1>
      <label className="flex items-center gap-2 font-mono text-xs font-bold uppercase">
        Action
        <select
          className="border-[3px] border-ink bg-paper p-1"
          value={action ?? ''}
          onChange={(event) => setAction(auditActionSchema.safeParse(event.target.value).data)}
        >
          <option value="">Every action</option>
          {auditActionSchema.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      {log.isPending ? (
        <SkeletonList />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} what="the audit log (owners and admins only)" />
      ) : log.data.data.length === 0 ? (
        <EmptyState title="No entries" />
      ) : (
        // On a phone the table scrolls inside its box; the page itself never scrolls sideways.
        <div className="overflow-x-auto border-[3px] border-ink">
          <table className="w-full min-w-[40rem] font-mono text-xs">
            <thead>
              <tr className="bg-ink text-left text-paper">
                <th className="p-1">When</th>
                <th className="p-1">Action</th>
                <th className="p-1">Who</th>
                <th className="p-1">What</th>
                <th className="p-1">From</th>
                <th className="p-1">Changed</th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((entry) => (
                <tr key={entry.id} className="border-t-2 border-ink align-top">
                  <td className="p-1 whitespace-nowrap">
                    <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                      {relativeTime(entry.at, now)}
                    </time>
                  </td>
                  <td className="p-1 font-bold">{entry.action}</td>
                  <td className="p-1">{actorName(entry.actor)}</td>
                  <td className="p-1">{entry.summary}</td>
                  <td className="p-1" title={entry.userAgent ?? ''}>
                    {entry.ip ?? ''}
                  </td>
                  <td className="p-1">
                    <ChangedFields before={entry.before} after={entry.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
