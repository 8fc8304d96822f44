import { type Message, messageSchema, pageSchema, type postMessageSchema } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Options of `messages.list`. */
export interface ListMessagesOptions {
  /** Oldest first (`asc`, like a thread) by default. */
  order?: 'asc' | 'desc';
  /** Items per page (1–200). */
  limit?: number;
}

/** Task threads (`/tasks/:taskId/messages`, `/messages/:id`). */
export class MessagesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.messages`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists a task's thread, oldest first: `for await` over every message, or `.page()`. */
  list(taskReference: string, options: ListMessagesOptions = {}): PageIterator<Message> {
    return new PageIterator((cursor) =>
      this.context.transport.request({
        method: 'GET',
        path: `/tasks/${encodeURIComponent(taskReference)}/messages`,
        query: { ...options, cursor },
        schema: pageSchema(messageSchema),
      }),
    );
  }

  /** Posts a message (or a reply, with replyToId) to a task's thread; @name mentions notify. */
  post(taskReference: string, input: z.input<typeof postMessageSchema>): Promise<Message> {
    return this.context.transport.request({
      method: 'POST',
      path: `/tasks/${encodeURIComponent(taskReference)}/messages`,
      body: input,
      schema: messageSchema,
    });
  }

  /** Fetches one message by id. */
  get(messageId: string): Promise<Message> {
    return this.context.transport.request({ method: 'GET', path: `/messages/${encodeURIComponent(messageId)}`, schema: messageSchema });
  }
}
