// A2A push notifications (v1.0 §4.3): a task's updates POSTed to the URL a client registered, as
// StreamResponse JSON, through the durable outbound sender (retries, attempt log, dead letters).
import { StreamResponse, type TaskState } from '@a2a-js/sdk';
import type { TaskStatus } from '@mission-control/contracts';
import { z } from 'zod';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/database.js';
import { findLatestEventSeq, listEventsAfter, toActivity } from '../../events/event.repository.js';
import { postGuarded } from '../integrations/outbound/guarded-http.js';
import type { NewDelivery, OutboundService } from '../integrations/outbound/outbound.service.js';
import type { OutboundTransport, TransportResult } from '../integrations/outbound/outbound-transport.js';
import { type A2aTaskView, a2aStateOfStatus, isTerminalState, toA2aArtifacts, toA2aStatus } from './a2a-mapping.js';
import { type A2aPushConfigRow, advanceA2aPushCursor, findA2aPushConfigById, listA2aPushConfigsBehind } from './a2a-push.repository.js';

export const a2aPushChannel = 'a2a-push';

/** What a push delivery stores: the exact body, so every retry sends the same bytes. */
const pushPayloadSchema = z.object({ body: z.string() });

class FedElsewhere extends Error {}

export interface A2aPushDependencies {
  outbound: Pick<OutboundService, 'enqueue' | 'openSecret' | 'policy'>;
  /** The task as A2A shows it now (for the artifacts of a finished task). */
  viewOfTask(workspaceId: string, taskId: string): Promise<A2aTaskView | undefined>;
}

function statusUpdateBody(config: A2aPushConfigRow, contextId: string, status: ReturnType<typeof toA2aStatus>): string {
  const update: StreamResponse = {
    payload: { $case: 'statusUpdate', value: { taskId: config.task_id, contextId, status, metadata: undefined } },
  };
  return JSON.stringify(StreamResponse.toJSON(update));
}

/**
 * Turns a task's status changes into push deliveries. Each config keeps a durable cursor; a feed
 * reads the workspace's events after it and queues the task's status changes with the cursor's
 * move in one transaction, conditional on the cursor not having moved (another instance fed it).
 * A change to an end state sends the artifacts first, then the final status.
 */
export class A2aPushFeed {
  constructor(
    private readonly context: ServiceContext,
    private readonly dependencies: A2aPushDependencies,
    private readonly batchSize = 500,
  ) {}

  /** Feeds every config that is behind; answers how many deliveries were queued. */
  async feedPushNotifications(): Promise<number> {
    const latestSeq = await findLatestEventSeq(this.context.db);
    let queued = 0;
    for (const config of await listA2aPushConfigsBehind(this.context.db, latestSeq, 200))
      queued += await this.feedConfig(config, latestSeq);
    return queued;
  }

  private async feedConfig(config: A2aPushConfigRow, latestSeq: number): Promise<number> {
    const { db } = this.context;
    const rows = await listEventsAfter(db, { afterSeq: config.cursor_seq, limit: this.batchSize, workspaceId: config.workspace_id });
    const lastRead = rows.at(-1)?.seq ?? config.cursor_seq;
    const nextCursor = rows.length < this.batchSize ? Math.max(lastRead, latestSeq) : lastRead;
    const deliveries: NewDelivery[] = [];
    for (const row of rows) {
      const activity = toActivity(row);
      if (activity.type !== 'task-status-changed' || activity.taskId !== config.task_id) continue;
      const bodies = await this.bodiesFor(config, activity.data.to);
      for (const [index, text] of bodies.entries()) {
        deliveries.push({
          workspaceId: config.workspace_id,
          channel: a2aPushChannel,
          targetId: config.id,
          orderingKey: `a2a-push:${config.id}`,
          dedupeKey: `a2a-push:${config.id}:${activity.seq}:${index}`,
          eventType: activity.type,
          eventSeq: activity.seq,
          payload: { body: text },
        });
      }
    }
    try {
      return await db.transaction().execute(async (trx) => {
        if (!(await advanceA2aPushCursor(trx, config.id, config.cursor_seq, nextCursor))) throw new FedElsewhere();
        return this.dependencies.outbound.enqueue(trx, deliveries);
      });
    } catch (error) {
      if (error instanceof FedElsewhere) return 0;
      throw error;
    }
  }

  /** The bodies for a move to a status: its status update, after the artifacts when the task ended. */
  private async bodiesFor(config: A2aPushConfigRow, to: TaskStatus): Promise<string[]> {
    const view = await this.dependencies.viewOfTask(config.workspace_id, config.task_id);
    if (!view) return [];
    const state: TaskState = a2aStateOfStatus[to];
    // The status as of this move (the task may have moved on since), with the current question if it waits.
    const status = { ...toA2aStatus({ ...view, task: { ...view.task, status: to } }), state };
    const bodies: string[] = [];
    if (isTerminalState(state)) {
      for (const artifact of toA2aArtifacts({ ...view, task: { ...view.task, status: to } })) {
        const update: StreamResponse = {
          payload: {
            $case: 'artifactUpdate',
            value: { taskId: config.task_id, contextId: view.contextId, artifact, append: false, lastChunk: true, metadata: undefined },
          },
        };
        bodies.push(JSON.stringify(StreamResponse.toJSON(update)));
      }
    }
    bodies.push(statusUpdateBody(config, view.contextId, status));
    return bodies;
  }
}

/**
 * POSTs a push delivery to its config's URL: the client's credentials as Authorization when it
 * gave them, else its token as X-A2A-Notification-Token, as the A2A SDK's own sender does.
 */
export function createA2aPushTransport(context: ServiceContext, outbound: A2aPushDependencies['outbound']): OutboundTransport {
  return {
    async send(delivery, attempt): Promise<TransportResult> {
      const config = await findA2aPushConfigById(context.db, delivery.target_id);
      if (!config) return { outcome: 'cancelled', error: 'The push notification config was deleted.' };
      const { body } = parseJsonColumn(pushPayloadSchema, delivery.payload, 'outbound_deliveries.payload');
      const headers: Record<string, string> = { 'content-type': 'application/a2a+json', 'user-agent': 'MissionControl-A2A/1.0' };
      const credentials = config.sealed_credentials ? outbound.openSecret(config.sealed_credentials) : null;
      const token = config.sealed_token ? outbound.openSecret(config.sealed_token) : null;
      if (config.authentication_scheme && credentials) headers.authorization = `${config.authentication_scheme} ${credentials}`;
      else if (token) headers['x-a2a-notification-token'] = token;
      const answer = await postGuarded(config.url, outbound.policy, { headers, body, timeoutMs: attempt.timeoutMs });
      const success = answer.statusCode >= 200 && answer.statusCode < 300;
      return {
        outcome: success ? 'succeeded' : answer.statusCode === 410 ? 'gone' : 'failed',
        statusCode: answer.statusCode,
        responseExcerpt: answer.responseExcerpt,
        error: success ? null : `The push notification URL answered HTTP ${answer.statusCode}.`,
      };
    },
  };
}
