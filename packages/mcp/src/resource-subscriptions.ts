import type { Activity } from '@mission-control/contracts';
import type { EventStream, MissionControl } from '@mission-control/sdk';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { workingStateUri } from './resources.js';

/** The event types that change what WORKING.md shows: its notes, the board and the roster. */
function changesWorkingState(activity: Activity): boolean {
  return activity.type === 'working-state-updated' || activity.type.startsWith('task-') || activity.type.startsWith('agent-');
}

/** The task a subscribable task URI names (mission://tasks/{key} or its /thread), if it is one. */
function taskReferenceOf(uri: string): string | undefined {
  const match = /^mission:\/\/tasks\/([^/]+)(\/thread)?$/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** Something worth telling the client's log about. */
export type LogNotice = (level: 'info' | 'warning' | 'error', message: string, data?: Record<string, unknown>) => void;

/**
 * `resources/subscribe` for WORKING.md and a task (its thread included): while anything is
 * subscribed, the session follows the server's event stream and sends
 * `notifications/resources/updated` for each subscribed resource an event changes. The last
 * unsubscribe, or closing the session, stops the stream. Returns the function that stops it.
 */
export function registerResourceSubscriptions(options: {
  server: McpServer;
  /** Whose event stream to follow (the same credential as the tools; it may reach the server by another URL). */
  events: MissionControl;
  client: MissionControl;
  log: LogNotice;
}): () => void {
  const { server, events, client, log } = options;
  /** Subscribed URI → the task id it follows (null for WORKING.md). */
  const subscriptions = new Map<string, string | null>();
  let stream: EventStream | undefined;
  /** Settles once the stream is live or has failed once (it goes on retrying and logs it). */
  let started: Promise<void> | undefined;

  const notify = (uri: string) => {
    void server.server.sendResourceUpdated({ uri }).catch(() => {});
  };

  const onEvent = (activity: Activity) => {
    for (const [uri, taskId] of subscriptions) {
      if (taskId === null ? changesWorkingState(activity) : activity.taskId === taskId) notify(uri);
    }
  };

  const startStream = (): Promise<void> => {
    if (started) return started;
    const opened = events.events.connect({ connectNow: false });
    opened.subscribe('*', onEvent);
    stream = opened;
    started = new Promise<void>((resolve) => {
      opened.onReady((info) => {
        resolve();
        if (info.resumed) log('info', 'The event stream reconnected and resumed; resource updates follow again.', { seq: info.seq });
      });
      opened.onError((error, info) => {
        resolve();
        log(info.willReconnect ? 'warning' : 'error', `The event stream failed (${error.code}): ${error.message}`, {
          willReconnect: info.willReconnect,
          attempt: info.attempt,
        });
      });
    });
    opened.start();
    // Subscribe answers once the stream is live, so a change made right after it is not missed.
    return started;
  };

  const stopStream = () => {
    stream?.stop();
    stream = undefined;
    started = undefined;
  };

  server.server.registerCapabilities({ resources: { subscribe: true } });

  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    let taskId: string | null;
    if (uri === workingStateUri) taskId = null;
    else {
      const reference = taskReferenceOf(uri);
      if (!reference) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Only ${workingStateUri} and mission://tasks/{key}[/thread] can be subscribed to, not ${uri}.`,
        );
      }
      // Resolved now so a key (TASK-7) matches the ids events carry, and an unknown task is refused.
      taskId = (await client.tasks.get(reference)).id;
    }
    subscriptions.set(uri, taskId);
    await startStream();
    return {};
  });

  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscriptions.delete(request.params.uri);
    if (subscriptions.size === 0) stopStream();
    return {};
  });

  return () => {
    subscriptions.clear();
    stopStream();
  };
}
