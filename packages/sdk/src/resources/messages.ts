import { endpoints, type Message } from '@mission-control/contracts';
import type { z } from 'zod';
import { PageIterator } from '../pagination.js';
import type { ResourceContext } from './auth.js';

/** Order and page size of `messages.list`: the query of listMessages without the cursor (oldest first by default). */
export type ListMessagesOptions = Omit<z.input<typeof endpoints.listMessages.query>, 'cursor'>;

/** Task threads: the messages of a task, with @mentions and replies. */
export class MessagesResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.messages`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists a task's thread, oldest first: `for await` over every message, or `.page()`. */
  list(taskReference: string, options: ListMessagesOptions = {}): PageIterator<Message> {
    return new PageIterator((cursor) =>
      this.context.transport.call(endpoints.listMessages, { params: { taskId: taskReference }, query: { ...options, cursor } }),
    );
  }

  /** Posts a message (or a reply, with replyToId) to a task's thread; @name mentions notify. */
  post(taskReference: string, input: z.input<typeof endpoints.postMessage.body>): Promise<Message> {
    return this.context.transport.call(endpoints.postMessage, { params: { taskId: taskReference }, body: input });
  }

  /** Fetches one message by id. */
  get(messageId: string): Promise<Message> {
    return this.context.transport.call(endpoints.getMessage, { params: { id: messageId } });
  }

  /** Reacts to a message with an emoji (once per person and emoji); answers the message with its reactions. */
  react(messageId: string, emoji: string): Promise<Message> {
    return this.context.transport.call(endpoints.addMessageReaction, { params: { id: messageId }, body: { emoji } });
  }

  /** Takes back your reaction with that emoji; answers the message with its reactions. */
  unreact(messageId: string, emoji: string): Promise<Message> {
    return this.context.transport.call(endpoints.removeMessageReaction, { params: { id: messageId, emoji } });
  }
}
