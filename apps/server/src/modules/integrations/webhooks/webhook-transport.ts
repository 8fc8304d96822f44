import { Webhook as StandardWebhook } from 'standardwebhooks';
import { z } from 'zod';
import type { DatabaseExecutor } from '../../../db/database.js';
import { parseJsonColumn } from '../../../db/database.js';
import { appendEvent } from '../../../events/event.repository.js';
import { postGuarded } from '../outbound/guarded-http.js';
import type { OutboundDeliveryRow } from '../outbound/outbound.repository.js';
import type { OutboundService } from '../outbound/outbound.service.js';
import type { AfterCommit, OutboundTransport, Settlement, TransportResult } from '../outbound/outbound-transport.js';
import { findWebhookEndpointById, updateWebhookEndpoint, type WebhookEndpointRow } from './webhook.repository.js';

export const webhookChannel = 'webhook';

/** An endpoint failing this long without one success is disabled and its owners told. */
export const failingEndpointLimitMs = 5 * 86_400_000;

/** What a webhook delivery stores: the exact body, so every retry and replay sends the same bytes. */
export const webhookPayloadSchema = z.object({ body: z.string() });

/** The secrets that sign at a moment: the current one, and the previous one during its 24-hour overlap. */
function activeSecrets(endpoint: WebhookEndpointRow, outbound: OutboundService, at: Date): string[] {
  const secrets = [outbound.openSecret(endpoint.secret)];
  if (endpoint.previous_secret && endpoint.previous_secret_expires_at && Date.parse(endpoint.previous_secret_expires_at) > at.getTime()) {
    secrets.push(outbound.openSecret(endpoint.previous_secret));
  }
  return secrets.filter((secret): secret is string => secret !== null);
}

/** The Standard Webhooks headers: the delivery id, the attempt's time, and one `v1,` signature per active secret. */
export function signWebhook(secrets: readonly string[], deliveryId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1_000)),
    'webhook-signature': secrets.map((secret) => new StandardWebhook(secret).sign(deliveryId, at, body)).join(' '),
  };
}

export interface WebhookDisabling {
  endpoint: WebhookEndpointRow;
  reason: 'gone' | 'failing';
}

export interface WebhookTransportDependencies {
  db: DatabaseExecutor;
  outbound: OutboundService;
  /** Disables an endpoint in the transaction; answers the follow-up that tells its owners. */
  disableEndpoint(executor: DatabaseExecutor, disabling: WebhookDisabling, at: Date): Promise<AfterCommit>;
}

/** Sends webhook deliveries with the Standard Webhooks signature and keeps the endpoint's health. */
export function createWebhookTransport(dependencies: WebhookTransportDependencies): OutboundTransport {
  const { outbound } = dependencies;
  return {
    async send(delivery: OutboundDeliveryRow, attempt): Promise<TransportResult> {
      const endpoint = await findWebhookEndpointById(dependencies.db, delivery.target_id);
      if (!endpoint) return { outcome: 'cancelled', error: 'The webhook endpoint was deleted.' };
      if (endpoint.disabled_at) return { outcome: 'cancelled', error: 'The webhook endpoint is disabled; enable it and replay.' };
      const { body } = parseJsonColumn(webhookPayloadSchema, delivery.payload, 'outbound_deliveries.payload');
      const secrets = activeSecrets(endpoint, outbound, attempt.at);
      if (secrets.length === 0) {
        return {
          outcome: 'failed',
          statusCode: null,
          responseExcerpt: '',
          error: 'The signing secret cannot be opened: the instance secret changed. Rotate the secret.',
        };
      }
      const answer = await postGuarded(endpoint.url, outbound.policy, {
        headers: { ...signWebhook(secrets, delivery.id, attempt.at, body), 'user-agent': 'MissionControl-Webhooks/1.0' },
        body,
        timeoutMs: attempt.timeoutMs,
      });
      const success = answer.statusCode >= 200 && answer.statusCode < 300;
      return {
        outcome: success ? 'succeeded' : answer.statusCode === 410 ? 'gone' : 'failed',
        statusCode: answer.statusCode,
        responseExcerpt: answer.responseExcerpt,
        error: success ? null : `The endpoint answered HTTP ${answer.statusCode}.`,
      };
    },

    async onSettled(executor, delivery, settlement: Settlement) {
      const endpoint = await findWebhookEndpointById(executor, delivery.target_id);
      if (!endpoint) return undefined;
      const at = settlement.at;
      if (settlement.status === 'dead') {
        await appendEvent(executor, {
          workspaceId: endpoint.workspace_id,
          type: 'webhook-delivery-dead',
          actor: null,
          summary: `A ${delivery.event_type} delivery to ${new URL(endpoint.url).host} moved to the dead-letter queue after ${settlement.roundAttempts} attempts`,
          data: {
            webhookId: endpoint.id,
            deliveryId: delivery.id,
            eventType: delivery.event_type,
            attempts: settlement.roundAttempts,
            lastStatusCode: settlement.statusCode,
          },
          at,
        });
      }
      if (settlement.status === 'succeeded') {
        if (endpoint.failing_since) await updateWebhookEndpoint(executor, endpoint.id, { failing_since: null });
        return undefined;
      }
      if (settlement.gone) return dependencies.disableEndpoint(executor, { endpoint, reason: 'gone' }, at);
      if (!endpoint.failing_since) {
        await updateWebhookEndpoint(executor, endpoint.id, { failing_since: at.toISOString() });
        return undefined;
      }
      if (at.getTime() - Date.parse(endpoint.failing_since) >= failingEndpointLimitMs) {
        return dependencies.disableEndpoint(executor, { endpoint, reason: 'failing' }, at);
      }
      return undefined;
    },
  };
}
