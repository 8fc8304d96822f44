import type { Activity } from '@mission-control/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { eventLabel, formatDateTime, timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { usePrincipalDirectory } from '../people/people-api';
import { useActivityFeed } from './activity-api';

const typeMark: Record<string, string> = {
  'task-created': '+',
  'task-status-changed': '→',
  'task-assigned': '@',
  'message-posted': '✎',
  'document-created': '▤',
  'document-versioned': '▤',
  'notification-created': '!',
};

/** The live activity feed, virtualised so a long history stays cheap. */
export function ActivityFeed({ taskId, agentId, heightClass = 'h-[28rem]' }: { taskId?: string; agentId?: string; heightClass?: string }) {
  const feed = useActivityFeed({ taskId, agentId });
  const directory = usePrincipalDirectory();
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const items = useMemo(() => feed.data?.pages.flatMap((page) => page.data) ?? [], [feed.data]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 58,
    overscan: 8,
  });

  if (feed.isPending) return <SkeletonList rows={5} className="h-10" />;
  if (feed.isError) return <ErrorState error={feed.error} what="activity" onRetry={() => void feed.refetch()} />;
  if (items.length === 0) return <EmptyState title="No activity yet">What agents and people do shows up here as it happens.</EmptyState>;

  const virtualRows = virtualizer.getVirtualItems();
  // Without layout (first paint, tests) the virtualiser knows no height: show the first rows plainly.
  const rows = virtualRows.length > 0 ? virtualRows : items.slice(0, 20).map((_, index) => ({ index, start: index * 58, key: index }));
  return (
    <div ref={scrollRef} className={`${heightClass} overflow-y-auto border-[3px] border-ink`} data-testid="activity-feed">
      <ol aria-label="Activity" style={{ height: Math.max(virtualizer.getTotalSize(), rows.length * 58), position: 'relative' }}>
        {rows.map((row) => {
          const activity = items[row.index];
          if (!activity) return null;
          return (
            <li
              key={activity.seq}
              data-index={row.index}
              ref={virtualRows.length > 0 ? virtualizer.measureElement : undefined}
              className="absolute inset-x-0"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <ActivityRow activity={activity} actorName={directory.nameOf(activity.actor)} ago={timeAgo(activity.createdAt, now)} />
            </li>
          );
        })}
      </ol>
      {feed.hasNextPage ? (
        <button type="button" className="brutal-button m-2" onClick={() => void feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
          Older
        </button>
      ) : null}
    </div>
  );
}

/** The summary without the actor it starts with ("agent atlas commented…" → "commented…"), since the row names the actor first. */
export function summaryAfterActor(summary: string, actorName: string): string {
  const escaped = actorName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const leading = new RegExp(`^(?:(?:agent|user|person)\\s+)?@?${escaped}\\s+`, 'i');
  return summary.replace(leading, '');
}

/** The task key an event names in its data, for a link a person can read. */
function taskKeyOf(activity: Activity): string | null {
  const data: unknown = activity.data;
  if (typeof data === 'object' && data !== null && 'key' in data && typeof data.key === 'string') return data.key;
  return null;
}

export function ActivityRow({ activity, actorName, ago }: { activity: Activity; actorName: string; ago: string }) {
  const key = taskKeyOf(activity);
  return (
    <div className="flex gap-2 border-b-2 border-ink px-2 py-1.5">
      <span aria-hidden="true" className="grid size-6 shrink-0 place-items-center border-2 border-ink font-mono text-xs font-black">
        {typeMark[activity.type] ?? '·'}
      </span>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm" title={activity.summary}>
          <span className="font-bold">{actorName}</span> {summaryAfterActor(activity.summary, actorName)}
        </p>
        <p className="flex gap-2 font-mono text-[0.65rem] text-ink-muted">
          <span>{eventLabel(activity.type)}</span>
          <span title={formatDateTime(activity.createdAt)}>{ago}</span>
          {activity.taskId ? (
            <Link className="underline" to={`?task=${key ?? activity.taskId}`}>
              {key ? `Open ${key}` : 'Open the task'}
            </Link>
          ) : null}
        </p>
      </div>
    </div>
  );
}
