import { endpoints, type InboundHook, type InboundHookWithSecret } from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** What `inboundHooks.create` takes: a name, the action and the CEL template per field. */
export type CreateInboundHookOptions = z.input<typeof endpoints.createInboundHook.body>;
/** What `inboundHooks.update` takes: only the fields to change. */
export type UpdateInboundHookOptions = z.input<typeof endpoints.updateInboundHook.body>;

/** Inbound hooks outside tools call (`/inbound-hooks`); the call itself is `POST /api/v1/hooks/{id}` with the hook's secret. */
export class InboundHooksResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.inboundHooks`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Creates a hook; the answer carries its secret this once and the path to call. */
  create(input: CreateInboundHookOptions): Promise<InboundHookWithSecret> {
    return this.context.transport.call(endpoints.createInboundHook, { body: input });
  }

  /** Lists the workspace's hooks, newest first. */
  async list(): Promise<InboundHook[]> {
    return (await this.context.transport.call(endpoints.listInboundHooks)).data;
  }

  /** Gets one hook. */
  get(hookId: string): Promise<InboundHook> {
    return this.context.transport.call(endpoints.getInboundHook, { params: { id: hookId } });
  }

  /** Changes a hook's name, template or enabled state. */
  update(hookId: string, input: UpdateInboundHookOptions): Promise<InboundHook> {
    return this.context.transport.call(endpoints.updateInboundHook, { params: { id: hookId }, body: input });
  }

  /** Gives the hook a new secret (shown once); the old one stops working at once. */
  rotateSecret(hookId: string): Promise<InboundHookWithSecret> {
    return this.context.transport.call(endpoints.rotateInboundHookSecret, { params: { id: hookId } });
  }

  /** Deletes a hook. */
  async delete(hookId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteInboundHook, { params: { id: hookId } });
  }
}
