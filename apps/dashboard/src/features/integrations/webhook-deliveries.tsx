import { type WebhookDelivery, type WebhookDeliveryStatus, webhookDeliveryStatusSchema } from '@mission-control/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { plural, relativeTime } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { useNow } from '../../lib/use-now';
import { ActionButton } from './action-button';
import { useWebhookDeliveries } from './integrations-api';

const statusWords: Record<WebhookDeliveryStatus, string> = {
  pending: 'Waiting to be sent',
  succeeded: 'Succeeded',
  failed: 'Failed, will retry',
  dead: 'Dead-letter queue',
};

/** One endpoint's deliveries, newest first, each with every attempt; replay one, or the whole dead-letter queue. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<WebhookDeliveryStatus | undefined>(undefined);
  const deliveries = useWebhookDeliveries(webhookId, status);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['integrations', 'webhooks', 'deliveries', webhookId] });
  return (
    <div className="mt-3 border-2 border-ink p-2" data-testid="webhook-deliveries">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col">
          Show
          <select
            className="brutal-input"
            value={status ?? ''}
            onChange={(event) => {
              const chosen = webhookDeliveryStatusSchema.safeParse(event.target.value);
              setStatus(chosen.success ? chosen.data : undefined);
            }}
          >
            <option value="">All deliveries</option>
            {webhookDeliveryStatusSchema.options.map((option) => (
              <option key={option} value={option}>
                {statusWords[option]}
              </option>
            ))}
          </select>
        </label>
        <ActionButton
          label="Replay dead-letter queue"
          action={() => client.webhooks.replayDead(webhookId)}
          done={(count) =>
            count === 0 ? 'The dead-letter queue is empty.' : `${plural(count, 'dead delivery', 'dead deliveries')} sent again.`
          }
          after={refresh}
        />
      </div>
      {deliveries.isPending ? <SkeletonList rows={2} className="mt-2 h-8" /> : null}
      {deliveries.isError ? <ErrorState error={deliveries.error} what="deliveries" onRetry={() => void deliveries.refetch()} /> : null}
      {deliveries.data?.length === 0 ? <p className="mt-2">No deliveries{status ? ` with this status` : ''} yet.</p> : null}
      <ul className="mt-2 flex flex-col gap-2">
        {(deliveries.data ?? []).map((delivery) => (
          <DeliveryRow key={delivery.id} delivery={delivery} webhookId={webhookId} onReplayed={refresh} />
        ))}
      </ul>
    </div>
  );
}

function DeliveryRow({ delivery, webhookId, onReplayed }: { delivery: WebhookDelivery; webhookId: string; onReplayed: () => void }) {
  const client = useClient();
  const now = useNow();
  return (
    <li className="border-b border-ink pb-2" data-testid="webhook-delivery" data-status={delivery.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-bold">{delivery.eventType}</span>
        <span className="border-2 border-ink px-1 font-mono text-xs uppercase">{statusWords[delivery.status]}</span>
        <span className="mr-auto">
          {relativeTime(delivery.createdAt, now)} · {plural(delivery.attemptCount, 'attempt')}
          {delivery.nextAttemptAt && delivery.status !== 'succeeded' ? ` · next ${relativeTime(delivery.nextAttemptAt, now)}` : ''}
        </span>
        <ActionButton
          label="Replay"
          disabled={delivery.status === 'pending'}
          action={() => client.webhooks.replay(webhookId, delivery.id)}
          done={() => `${delivery.eventType} queued to be sent again.`}
          after={onReplayed}
        />
      </div>
      {delivery.attempts.length > 0 ? (
        <ol className="mt-1 flex flex-col gap-1 pl-4 font-mono text-xs">
          {delivery.attempts.map((attempt) => (
            <li key={attempt.attempt} className="break-all">
              #{attempt.attempt} · {relativeTime(attempt.at, now)} ·{' '}
              {attempt.statusCode === null ? 'no answer' : `answered ${attempt.statusCode}`} · {attempt.durationMs} ms
              {attempt.error ? ` · ${attempt.error}` : ''}
              {attempt.responseExcerpt ? ` · “${attempt.responseExcerpt.slice(0, 200)}”` : ''}
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}
