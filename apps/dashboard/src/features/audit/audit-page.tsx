import { type AuditAction, auditActionSchema } from '@mission-control/contracts';
import { useState } from 'react';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useAuditLog } from './audit-api';

/** The audit trail: who did what, from where, with the fields before and after (owners and admins). */
export default function AuditPage() {
  const [action, setAction] = useState<AuditAction | undefined>(undefined);
  const log = useAuditLog(action);
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
        <table className="w-full border-[3px] border-ink font-mono text-xs">
          <thead>
            <tr className="bg-ink text-left text-paper">
              <th className="p-1">When</th>
              <th className="p-1">Action</th>
              <th className="p-1">Actor</th>
              <th className="p-1">What</th>
              <th className="p-1">Address</th>
              <th className="p-1">Before → after</th>
            </tr>
          </thead>
          <tbody>
            {log.data.data.map((entry) => (
              <tr key={entry.id} className="border-t-2 border-ink align-top">
                <td className="p-1 whitespace-nowrap">{formatDateTime(entry.at)}</td>
                <td className="p-1 font-bold">{entry.action}</td>
                <td className="p-1">{entry.actor.id ? `${entry.actor.kind} ${entry.actor.id.slice(0, 8)}` : entry.actor.kind}</td>
                <td className="p-1">{entry.summary}</td>
                <td className="p-1" title={entry.userAgent ?? ''}>
                  {entry.ip ?? ''}
                </td>
                <td className="p-1">
                  {entry.before ? JSON.stringify(entry.before) : ''}
                  {entry.before || entry.after ? ' → ' : ''}
                  {entry.after ? JSON.stringify(entry.after) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
