import { endpoints, type Webhook, type WebhookDelivery, type WebhookWithSecret } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** What `webhooks.create` takes: the URL, the event types (or `["*"]`), an optional CEL filter, a description. */
export type CreateWebhookOptions = z.input<typeof endpoints.createWebhook.body>;
/** What `webhooks.update` takes: only the fields to change. */
export type UpdateWebhookOptions = z.input<typeof endpoints.updateWebhook.body>;
/** Options of `webhooks.deliveries`: a status to keep, and the page size. */
export type ListWebhookDeliveriesOptions = Omit<z.input<typeof endpoints.listWebhookDeliveries.query>, 'cursor'>;

/** Outbound webhook endpoints and their deliveries (`/webhooks`). */
export class WebhooksResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.webhooks`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Registers an endpoint; the answer carries the signing secret (whsec_…) this once. */
  create(input: CreateWebhookOptions): Promise<WebhookWithSecret> {
    return this.context.transport.call(endpoints.createWebhook, { body: input });
  }

  /** Lists the workspace's endpoints, newest first. */
  async list(): Promise<Webhook[]> {
    return (await this.context.transport.call(endpoints.listWebhooks)).data;
  }

  /** Gets one endpoint. */
  get(webhookId: string): Promise<Webhook> {
    return this.context.transport.call(endpoints.getWebhook, { params: { id: webhookId } });
  }

  /** Changes an endpoint; enabling a disabled one resumes from the current event. */
  update(webhookId: string, input: UpdateWebhookOptions): Promise<Webhook> {
    return this.context.transport.call(endpoints.updateWebhook, { params: { id: webhookId }, body: input });
  }

  /** Deletes an endpoint with its deliveries. */
  async delete(webhookId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteWebhook, { params: { id: webhookId } });
  }

  /** Gives the endpoint a new secret (shown once); the old one signs alongside for 24 hours. */
  rotateSecret(webhookId: string): Promise<WebhookWithSecret> {
    return this.context.transport.call(endpoints.rotateWebhookSecret, { params: { id: webhookId } });
  }

  /** Queues a `ping` delivery to the endpoint. */
  test(webhookId: string): Promise<WebhookDelivery> {
    return this.context.transport.call(endpoints.testWebhook, { params: { id: webhookId } });
  }

  /** Lists the endpoint's deliveries, newest first, each with every attempt. */
  deliveries(webhookId: string, options: ListWebhookDeliveriesOptions = {}): PageIterator<WebhookDelivery> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listWebhookDeliveries, { params: { id: webhookId }, query: { ...options, cursor } }),
    );
  }

  /** Sends one delivery again, with the same webhook-id and body. */
  replay(webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.context.transport.call(endpoints.replayWebhookDelivery, { params: { id: webhookId, deliveryId } });
  }

  /** Sends every dead delivery of the endpoint again; answers how many. */
  async replayDead(webhookId: string): Promise<number> {
    return (await this.context.transport.call(endpoints.replayDeadWebhookDeliveries, { params: { id: webhookId } })).replayed;
  }
}
