import type { EventType } from '@mission-control/contracts';

/**
 * How the purge blanks the activity feed's copies of deleted text. Each event keeps its type,
 * time, actor and ids; only the words copied from a message or a transcript go. The summaries
 * parsed here are written by message.service.ts (message-posted), notification.service.ts
 * (notification-created), agent-run.service.ts and runner-run.service.ts (run-step, run-failed).
 */

export const retentionNote = 'deleted by data retention';

/** The event types that carry copies of message text, and of run transcripts. */
export const feedTypesOf = {
  messages: ['message-posted', 'notification-created'],
  runs: ['run-step', 'run-failed'],
} as const satisfies Record<string, readonly EventType[]>;

export interface StoredEventText {
  type: string;
  summary: string;
  /** The decoded data object. */
  data: Record<string, unknown>;
}

/** The new summary and/or data of an event whose copied text must go; null when there is nothing (left) to blank. */
export function redactEventText(event: StoredEventText): { summary?: string; data?: string } | null {
  switch (event.type) {
    case 'message-posted':
      // "Ada commented on TASK-1" says no words of the message; the excerpt does.
      return typeof event.data.excerpt === 'string' && event.data.excerpt !== ''
        ? { data: JSON.stringify({ ...event.data, excerpt: '' }) }
        : null;
    case 'notification-created': {
      // "agent notified (mentioned): Ada mentioned you on TASK-1: <excerpt>" → "agent notified (mentioned)".
      const reason = event.data.reason;
      if (reason !== 'mentioned' && reason !== 'reply') return null;
      const marker = `(${reason})`;
      const end = event.summary.indexOf(marker);
      if (end < 0 || end + marker.length === event.summary.length) return null;
      return { summary: event.summary.slice(0, end + marker.length) };
    }
    case 'run-step': {
      // "Ada: <model text>" → "Ada: model step (text deleted by data retention)"; tool calls and tests name no text.
      const kind = event.data.kind;
      if (kind !== 'model' && kind !== 'output') return null;
      const colon = event.summary.indexOf(': ');
      if (colon < 0) return null;
      const summary = `${event.summary.slice(0, colon)}: ${kind} step (text ${retentionNote})`;
      return summary === event.summary ? null : { summary };
    }
    case 'run-failed': {
      // "Ada's turn failed: <error>" → "Ada's turn failed (error deleted by data retention)".
      const at = event.summary.indexOf(' failed: ');
      return at < 0 ? null : { summary: `${event.summary.slice(0, at)} failed (error ${retentionNote})` };
    }
    default:
      return null;
  }
}
