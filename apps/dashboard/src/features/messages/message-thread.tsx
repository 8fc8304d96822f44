import type { FileAttachment, Message } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { timeAgo } from '../../lib/format';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { useNow } from '../../lib/use-now';
import { AttachmentFileLink, AttachmentThumbnail, formatFileSize } from '../attachments/attachment-preview';
import { Markdown } from '../markdown/markdown';
import { usePrincipalDirectory } from '../people/people-api';
import { MessageEditor } from './message-editor';
import { MessageReactions } from './message-reactions';
import { useMessages } from './messages-api';

/** The files uploaded to the task's messages, by message; the task's own files are in the drawer's Files section. */
function useMessageFiles(taskId: string): Map<string, FileAttachment[]> {
  const client = useClient();
  const attachments = useQuery({
    queryKey: queryKeys.taskAttachments(taskId),
    queryFn: () => client.attachments.listForTask(taskId),
  });
  return useMemo(() => {
    const byMessage = new Map<string, FileAttachment[]>();
    for (const attachment of attachments.data ?? []) {
      if (attachment.messageId) byMessage.set(attachment.messageId, [...(byMessage.get(attachment.messageId) ?? []), attachment]);
    }
    return byMessage;
  }, [attachments.data]);
}

/** A message's uploaded files: images as thumbnails, the rest as their name and size. */
function MessageFiles({ files }: { files: FileAttachment[] }) {
  if (files.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap items-end gap-2 text-sm" aria-label="Files">
      {files.map((file) => (
        <li key={file.id} className="min-w-0">
          <AttachmentThumbnail attachment={file} fallback={<AttachmentFileLink attachment={file} />} />
        </li>
      ))}
    </ul>
  );
}

/** A task's thread: messages oldest first, replies indented under what they answer. */
export function MessageThread({ taskId }: { taskId: string }) {
  const messages = useMessages(taskId);
  const directory = usePrincipalDirectory();
  const now = useNow();
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const filesByMessage = useMessageFiles(taskId);
  const { roots, replies } = useMemo(() => {
    const list = messages.data ?? [];
    const ids = new Set(list.map((message) => message.id));
    const byParent = new Map<string, Message[]>();
    for (const message of list) {
      if (message.replyToId && ids.has(message.replyToId))
        byParent.set(message.replyToId, [...(byParent.get(message.replyToId) ?? []), message]);
    }
    return { roots: list.filter((message) => !message.replyToId || !ids.has(message.replyToId)), replies: byParent };
  }, [messages.data]);

  if (messages.isPending) return <SkeletonList rows={3} className="h-16" />;
  if (messages.isError) return <ErrorState error={messages.error} what="messages" onRetry={() => void messages.refetch()} />;

  const renderMessage = (message: Message, depth: number) => (
    <li key={message.id} className={depth > 0 ? 'ml-4 border-l-[3px] border-ink pl-3 sm:ml-8' : ''}>
      <article className="border-2 border-ink p-2" data-testid="message">
        <header className="mb-1 flex flex-wrap items-center gap-2 font-mono text-xs">
          <span className="font-bold">{directory.nameOf(message.author)}</span>
          <span className="border border-ink px-1 uppercase">{message.type.replace('_', ' ')}</span>
          <time dateTime={message.createdAt}>{timeAgo(message.createdAt, now)}</time>
          <button
            type="button"
            className="ml-auto font-bold underline"
            onClick={() => setReplyTo(replyTo === message.id ? null : message.id)}
          >
            Reply
          </button>
        </header>
        <Markdown mentions={directory.mentionTargets}>{message.content}</Markdown>
        <MessageFiles files={filesByMessage.get(message.id) ?? []} />
        {message.attachments.length > 0 ? (
          <ul className="mt-1 flex flex-wrap gap-2 font-mono text-xs" aria-label="Links">
            {message.attachments.map((attachment) => (
              <li key={attachment.url}>
                <a className="underline" href={attachment.url} target="_blank" rel="noopener noreferrer nofollow">
                  📎 {attachment.name}
                  {attachment.sizeBytes === undefined ? null : ` (${formatFileSize(attachment.sizeBytes)})`}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        <MessageReactions taskId={taskId} message={message} />
      </article>
      {replyTo === message.id ? (
        <div className="mt-2 ml-4">
          <MessageEditor taskId={taskId} replyToId={message.id} onPosted={() => setReplyTo(null)} />
        </div>
      ) : null}
      {(replies.get(message.id) ?? []).length > 0 ? (
        <ol className="mt-2 flex flex-col gap-2">{(replies.get(message.id) ?? []).map((reply) => renderMessage(reply, depth + 1))}</ol>
      ) : null}
    </li>
  );

  return (
    <div className="flex flex-col gap-3">
      {roots.length === 0 ? <EmptyState title="No messages yet">Start the thread: ask, answer, or @mention someone.</EmptyState> : null}
      <ol className="flex flex-col gap-2" aria-label="Messages">
        {roots.map((message) => renderMessage(message, 0))}
      </ol>
      <MessageEditor taskId={taskId} />
    </div>
  );
}
