import { randomBytes } from 'node:crypto';
import type {
  CreateWebhookInput,
  ListWebhookDeliveriesQuery,
  Page,
  UpdateWebhookInput,
  Webhook,
  WebhookDelivery,
  WebhookWithSecret,
} from '@mission-control/contracts';
import { assertCan } from '../../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../../auth/principal.js';
import { createId } from '../../../core/ids.js';
import type { ServiceContext } from '../../../core/service-context.js';
import type { DatabaseExecutor } from '../../../db/database.js';
import { appendEvent, findLatestEventSeq } from '../../../events/event.repository.js';
import { AppError } from '../../../http/app-error.js';
import { decodeCursor, toPage } from '../../../http/pagination.js';
import type { AuditService } from '../../audit/audit.service.js';
import type { NotificationService } from '../../notifications/notification.service.js';
import type { WorkspaceService } from '../../workspaces/workspace.service.js';
import { CelExpressionError, compileCelExpression } from '../cel/cel-expression.js';
import type { OutboundDeliveryWithAttempts, OutboundService } from '../outbound/outbound.service.js';
import {
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
  toWebhook,
  updateWebhookEndpoint,
  type WebhookEndpointRow,
} from './webhook.repository.js';
import { buildWebhookBody, createWebhookFeed } from './webhook-feed.js';
import { createWebhookTransport, type WebhookDisabling, webhookChannel } from './webhook-transport.js';

/** How long a rotated-out secret keeps signing alongside the new one. */
export const secretOverlapMs = 24 * 3_600_000;

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function hostOf(url: string): string {
  return new URL(url).host;
}

function toWebhookDelivery({ row, attempts }: OutboundDeliveryWithAttempts): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.target_id,
    eventType: row.event_type,
    eventSeq: row.event_seq,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempts,
  };
}

function checkFilter(filter: string | null | undefined): void {
  if (!filter) return;
  try {
    compileCelExpression(filter, ['event']);
  } catch (error) {
    if (!(error instanceof CelExpressionError)) throw error;
    throw new AppError(
      'WEBHOOK_FILTER_INVALID',
      `The filter is not valid CEL: ${error.message}. Write a condition over event, such as event.data.to == "done".`,
      { filter },
    );
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>;

export function createWebhookService(
  context: ServiceContext,
  dependencies: {
    outbound: OutboundService;
    notifications: NotificationService;
    workspaces: WorkspaceService;
    audit: Pick<AuditService, 'recordAuditEntry'>;
  },
) {
  const { db, clock } = context;
  const { outbound } = dependencies;

  async function requireEndpoint(principal: Principal, endpointId: string): Promise<WebhookEndpointRow> {
    assertCan(principal, 'integration:manage');
    const row = await findWebhookEndpoint(db, principal.workspaceId, endpointId);
    if (!row)
      throw new AppError('WEBHOOK_NOT_FOUND', 'No webhook endpoint with this id in the workspace. List them with GET /api/v1/webhooks.');
    return row;
  }

  function requireEnabled(row: WebhookEndpointRow): void {
    if (row.disabled_at) {
      throw new AppError('WEBHOOK_DISABLED', 'The webhook endpoint is disabled. Enable it (PATCH with enabled: true), then try again.');
    }
  }

  async function disableEndpoint(executor: DatabaseExecutor, { endpoint, reason }: WebhookDisabling, at: Date) {
    const why =
      reason === 'gone' ? 'it answered 410 Gone' : `no delivery has succeeded since ${endpoint.failing_since ?? at.toISOString()} (5 days)`;
    await updateWebhookEndpoint(executor, endpoint.id, {
      disabled_at: at.toISOString(),
      disabled_reason: reason === 'gone' ? 'The endpoint answered 410 Gone.' : 'Every delivery failed for 5 days.',
      updated_at: at.toISOString(),
    });
    await outbound.cancelQueuedDeliveries(executor, webhookChannel, endpoint.id, `The endpoint was disabled: ${why}.`);
    const host = hostOf(endpoint.url);
    await appendEvent(executor, {
      workspaceId: endpoint.workspace_id,
      type: 'webhook-disabled',
      actor: null,
      summary: `The webhook to ${host} was disabled: ${why}`,
      data: { webhookId: endpoint.id, reason },
      at,
    });
    // Owners are read through the workspaces service, which must not run inside this transaction.
    return async () => {
      const owners = (await dependencies.workspaces.listMembers(systemPrincipal(endpoint.workspace_id))).filter(
        (member) => member.role === 'owner',
      );
      const recipients = new Map(owners.map((owner) => [owner.user.id, { kind: 'user' as const, id: owner.user.id }]));
      if (endpoint.created_by_kind === 'user') recipients.set(endpoint.created_by_id, { kind: 'user', id: endpoint.created_by_id });
      await db.transaction().execute((trx) =>
        dependencies.notifications.notifyInTransaction(
          trx,
          endpoint.workspace_id,
          null,
          [...recipients.values()].map((recipient) => ({
            recipient,
            taskId: null,
            reason: 'system' as const,
            kind: 'integration' as const,
            content: `The webhook to ${host} was disabled because ${why}. Fix the receiver, enable the webhook again and replay its dead-letter queue.`,
          })),
        ),
      );
    };
  }

  outbound.registerTransport(webhookChannel, createWebhookTransport({ db, outbound, disableEndpoint }));
  const feed = createWebhookFeed(context, { outbound });

  return {
    /** Queues deliveries for new events (the integrations worker calls it every tick). */
    feedWebhooks: feed.feedWebhooks,

    async createWebhook(principal: Principal, input: CreateWebhookInput): Promise<WebhookWithSecret> {
      assertCan(principal, 'integration:manage');
      checkFilter(input.filter);
      await outbound.checkTarget(input.url);
      const secret = generateWebhookSecret();
      const now = clock.now();
      const at = now.toISOString();
      const id = createId();
      const row = {
        id,
        workspace_id: principal.workspaceId,
        url: input.url,
        events: JSON.stringify(input.events),
        filter: input.filter ?? null,
        description: input.description,
        disabled_at: input.enabled ? null : at,
        disabled_reason: null,
        secret: outbound.sealSecret(secret),
        previous_secret: null,
        previous_secret_expires_at: null,
        cursor_seq: 0,
        failing_since: null,
        created_by_kind: principal.kind,
        created_by_id: principal.id,
        created_at: at,
        updated_at: at,
      };
      await db.transaction().execute(async (trx) => {
        // From now on: the events already written are not sent.
        row.cursor_seq = await findLatestEventSeq(trx);
        await insertWebhookEndpoint(trx, row);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'webhook-created',
          actor: toPrincipalReference(principal),
          summary: `Webhook to ${hostOf(input.url)} created for ${input.events.join(', ')}`,
          data: { webhookId: id, host: hostOf(input.url), events: input.events },
          at: now,
        });
        // The host only: a URL can carry a token in its path or query.
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'webhook.created',
          targetKind: 'webhook',
          targetId: id,
          summary: `webhook to ${hostOf(input.url)} created`,
          after: { host: hostOf(input.url), events: input.events, enabled: row.disabled_at === null },
        });
      });
      return { ...toWebhook(row, now), secret };
    },

    async listWebhooks(principal: Principal): Promise<{ data: Webhook[] }> {
      assertCan(principal, 'integration:manage');
      const now = clock.now();
      return { data: (await listWebhookEndpoints(db, principal.workspaceId)).map((row) => toWebhook(row, now)) };
    },

    async getWebhook(principal: Principal, endpointId: string): Promise<Webhook> {
      return toWebhook(await requireEndpoint(principal, endpointId), clock.now());
    },

    async updateWebhook(principal: Principal, endpointId: string, input: UpdateWebhookInput): Promise<Webhook> {
      const row = await requireEndpoint(principal, endpointId);
      checkFilter(input.filter);
      if (input.url !== undefined) await outbound.checkTarget(input.url);
      const now = clock.now();
      const at = now.toISOString();
      const changes: Partial<WebhookEndpointRow> & { events?: string } = { updated_at: at };
      if (input.url !== undefined) changes.url = input.url;
      if (input.events !== undefined) changes.events = JSON.stringify(input.events);
      if (input.filter !== undefined) changes.filter = input.filter;
      if (input.description !== undefined) changes.description = input.description;
      const enabling = input.enabled === true && row.disabled_at !== null;
      const disabling = input.enabled === false && row.disabled_at === null;
      await db.transaction().execute(async (trx) => {
        if (enabling) {
          Object.assign(changes, {
            disabled_at: null,
            disabled_reason: null,
            failing_since: null,
            cursor_seq: await findLatestEventSeq(trx),
          });
        }
        if (disabling) {
          Object.assign(changes, { disabled_at: at, disabled_reason: null });
          await outbound.cancelQueuedDeliveries(trx, webhookChannel, row.id, 'The endpoint was disabled by hand.');
        }
        await updateWebhookEndpoint(trx, row.id, changes);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'webhook-updated',
          actor: toPrincipalReference(principal),
          summary: `Webhook to ${hostOf(changes.url ?? row.url)} ${enabling ? 'enabled' : disabling ? 'disabled' : 'changed'}`,
          data: { webhookId: row.id, changes: Object.keys(input) },
          at: now,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'webhook.updated',
          targetKind: 'webhook',
          targetId: row.id,
          summary: `webhook to ${hostOf(changes.url ?? row.url)} ${enabling ? 'enabled' : disabling ? 'disabled' : 'changed'}`,
          before: {
            host: hostOf(row.url),
            events: toWebhook(row, now).events,
            description: row.description,
            enabled: row.disabled_at === null,
          },
          after: {
            host: hostOf(changes.url ?? row.url),
            events: input.events ?? toWebhook(row, now).events,
            description: changes.description ?? row.description,
            enabled: enabling || (row.disabled_at === null && !disabling),
          },
        });
      });
      return toWebhook({ ...row, ...changes }, now);
    },

    async deleteWebhook(principal: Principal, endpointId: string): Promise<void> {
      const row = await requireEndpoint(principal, endpointId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await outbound.deleteDeliveriesOf(trx, webhookChannel, row.id);
        await deleteWebhookEndpoint(trx, row.id);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'webhook-deleted',
          actor: toPrincipalReference(principal),
          summary: `Webhook to ${hostOf(row.url)} deleted`,
          data: { webhookId: row.id },
          at: now,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'webhook.deleted',
          targetKind: 'webhook',
          targetId: row.id,
          summary: `webhook to ${hostOf(row.url)} deleted`,
          before: { host: hostOf(row.url), events: toWebhook(row, now).events },
        });
      });
    },

    async rotateWebhookSecret(principal: Principal, endpointId: string): Promise<WebhookWithSecret> {
      const row = await requireEndpoint(principal, endpointId);
      const secret = generateWebhookSecret();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + secretOverlapMs).toISOString();
      const changes = {
        secret: outbound.sealSecret(secret),
        previous_secret: row.secret,
        previous_secret_expires_at: expiresAt,
        updated_at: now.toISOString(),
      };
      await db.transaction().execute(async (trx) => {
        await updateWebhookEndpoint(trx, row.id, changes);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'webhook-secret-rotated',
          actor: toPrincipalReference(principal),
          summary: `Webhook to ${hostOf(row.url)} has a new signing secret; the old one signs alongside until ${expiresAt}`,
          data: { webhookId: row.id, previousSecretExpiresAt: expiresAt },
          at: now,
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'webhook.secret-rotated',
          targetKind: 'webhook',
          targetId: row.id,
          summary: `webhook to ${hostOf(row.url)} has a new signing secret`,
          after: { previousSecretExpiresAt: expiresAt },
        });
      });
      return { ...toWebhook({ ...row, ...changes }, now), secret };
    },

    async testWebhook(principal: Principal, endpointId: string): Promise<WebhookDelivery> {
      const row = await requireEndpoint(principal, endpointId);
      requireEnabled(row);
      const now = clock.now();
      const deliveryId = createId();
      // A ping has no ordering key: it goes at once, even past a backlog of retries.
      await outbound.enqueue(db, [
        {
          id: deliveryId,
          workspaceId: principal.workspaceId,
          channel: webhookChannel,
          targetId: row.id,
          eventType: 'ping',
          payload: { body: buildWebhookBody('ping', now.toISOString(), { webhookId: row.id }) },
        },
      ]);
      return requireDelivery(principal, row.id, deliveryId);
    },

    async listWebhookDeliveries(
      principal: Principal,
      endpointId: string,
      query: ListWebhookDeliveriesQuery,
    ): Promise<Page<WebhookDelivery>> {
      const row = await requireEndpoint(principal, endpointId);
      const deliveries = await outbound.listDeliveries({
        workspaceId: principal.workspaceId,
        channel: webhookChannel,
        targetId: row.id,
        status: query.status,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(deliveries, query.limit, toWebhookDelivery, (delivery) => delivery.row.id);
    },

    async replayWebhookDelivery(principal: Principal, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
      const row = await requireEndpoint(principal, endpointId);
      await requireDelivery(principal, row.id, deliveryId);
      requireEnabled(row);
      await outbound.replayDelivery(deliveryId);
      return requireDelivery(principal, row.id, deliveryId);
    },

    async replayDeadWebhookDeliveries(principal: Principal, endpointId: string): Promise<{ replayed: number }> {
      const row = await requireEndpoint(principal, endpointId);
      requireEnabled(row);
      return { replayed: await outbound.replayDeadDeliveries(webhookChannel, row.id) };
    },
  };

  async function requireDelivery(principal: Principal, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await outbound.findDelivery(principal.workspaceId, webhookChannel, endpointId, deliveryId);
    if (!delivery) {
      throw new AppError(
        'WEBHOOK_DELIVERY_NOT_FOUND',
        'The webhook endpoint has no delivery with this id. List them with GET /api/v1/webhooks/{id}/deliveries.',
      );
    }
    return toWebhookDelivery(delivery);
  }
}
