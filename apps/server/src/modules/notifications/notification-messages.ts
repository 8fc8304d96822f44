import type { NotificationKind } from '@mission-control/contracts';

/** One notification as a message shows it. */
export interface MessageItem {
  kind: NotificationKind;
  content: string;
  taskId: string | null;
  createdAt: string;
}

const kindLabels: Record<NotificationKind, string> = {
  mention: 'Mention',
  reply: 'Reply',
  assignment: 'Assignment',
  status: 'Status',
  'review-requested': 'Review requested',
  escalation: 'Escalation',
  budget: 'Budget',
  approval: 'Approval',
  'run-failed': 'Run failed',
  integration: 'Integration',
  system: 'Notice',
};

/** The dashboard page of a task: its drawer opens on the board. */
export function taskLink(publicUrl: string, taskId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/tasks?task=${encodeURIComponent(taskId)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function oneLine(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

/** An email for one notification or a digest of several: plain text and HTML, each with a link to the task. */
export function composeEmail(items: readonly MessageItem[], publicUrl: string): { subject: string; text: string; html: string } {
  const first = items[0];
  const subject =
    items.length === 1 && first
      ? `[Mission Control] ${kindLabels[first.kind]}: ${oneLine(first.content, 80)}`
      : `[Mission Control] ${items.length} notifications`;
  const textParts = items.map((item) => {
    const link = item.taskId ? `\nOpen the task: ${taskLink(publicUrl, item.taskId)}` : '';
    return `${kindLabels[item.kind]} (${item.createdAt})\n${item.content}${link}`;
  });
  const htmlParts = items.map((item) => {
    const link = item.taskId ? `<p><a href="${escapeHtml(taskLink(publicUrl, item.taskId))}">Open the task</a></p>` : '';
    return `<h3>${escapeHtml(kindLabels[item.kind])}</h3><p>${escapeHtml(item.content)}</p>${link}`;
  });
  const footer = `You get these because of your notification preferences: ${publicUrl.replace(/\/+$/, '')}/notifications`;
  return {
    subject,
    text: `${textParts.join('\n\n')}\n\n--\n${footer}\n`,
    html: `<!doctype html><html><body>${htmlParts.join('<hr>')}<hr><p><small>${escapeHtml(footer)}</small></p></body></html>`,
  };
}

/** A Slack (`{ text }`, mrkdwn links) or Discord (`{ content }`) message; `addressee` is named when it goes to a shared channel. */
export function composeChatBody(
  channel: 'slack' | 'discord',
  items: readonly MessageItem[],
  publicUrl: string,
  addressee: string | null,
): string {
  const header = items.length === 1 ? '' : `${items.length} notifications\n`;
  const lines = items.map((item) => {
    const link = item.taskId
      ? channel === 'slack'
        ? ` <${taskLink(publicUrl, item.taskId)}|Open the task>`
        : ` ${taskLink(publicUrl, item.taskId)}`
      : '';
    return `• *${kindLabels[item.kind]}*: ${oneLine(item.content, 500)}${link}`;
  });
  const text = `${addressee ? `For ${addressee}: ` : ''}${header}${lines.join('\n')}`;
  return JSON.stringify(channel === 'slack' ? { text } : { content: text.slice(0, 2_000) });
}
