import type { FileAttachment } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorState } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime } from '../../lib/format';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { AttachmentThumbnail, downloadAttachmentFile, formatFileSize, isPreviewableImage } from '../attachments/attachment-preview';

function AttachmentItem({ attachment }: { attachment: FileAttachment }) {
  const client = useClient();
  const queryClient = useQueryClient();
  // The server decides who may (the uploader, admins, owners) and says so when not.
  const remove = useMutation({
    mutationFn: () => client.attachments.delete(attachment.id),
    onSuccess: () => {
      showToast(`Deleted ${attachment.name}.`);
      return queryClient.invalidateQueries({ queryKey: queryKeys.taskAttachments(attachment.taskId) });
    },
    onError: (error) => showToast(`Could not delete ${attachment.name}: ${describeError(error)}`, 'error'),
  });
  return (
    <li className="flex min-w-0 items-center gap-2">
      {isPreviewableImage(attachment) ? (
        <AttachmentThumbnail attachment={attachment} alt={`Preview of ${attachment.name}`} className="h-12 w-12" />
      ) : null}
      <button
        type="button"
        onClick={() => void downloadAttachmentFile(client, attachment)}
        className="min-w-0 truncate font-bold underline"
      >
        {attachment.name}
      </button>
      <span className="shrink-0 font-mono text-xs">
        {formatFileSize(attachment.size)} · {formatDateTime(attachment.createdAt)}
      </span>
      <button
        type="button"
        className="shrink-0 font-mono text-xs underline"
        disabled={remove.isPending}
        onClick={() => remove.mutate()}
        aria-label={`Delete ${attachment.name}`}
      >
        Delete
      </button>
    </li>
  );
}

/** The files of a task and its messages, with an upload button. */
export function TaskAttachments({ taskId }: { taskId: string }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const attachments = useQuery({
    queryKey: queryKeys.taskAttachments(taskId),
    queryFn: () => client.attachments.listForTask(taskId),
  });
  const upload = useMutation({
    mutationFn: (file: File) => client.attachments.uploadToTask(taskId, file.name, file),
    onSuccess: (attachment) => {
      showToast(`Attached ${attachment.name}.`);
      return queryClient.invalidateQueries({ queryKey: queryKeys.taskAttachments(taskId) });
    },
    onError: (error) => showToast(`Could not attach the file: ${describeError(error)}`, 'error'),
  });
  return (
    <section aria-label="Files">
      <h3 className="brutal-label">Files</h3>
      {attachments.isError ? <ErrorState error={attachments.error} what="files" /> : null}
      {attachments.data?.length === 0 ? <p className="font-mono text-sm text-ink-muted">No files attached.</p> : null}
      <ul className="flex flex-col gap-1">
        {attachments.data?.map((attachment) => (
          <AttachmentItem key={attachment.id} attachment={attachment} />
        ))}
      </ul>
      <label className="mt-2 inline-block cursor-pointer font-bold underline">
        {upload.isPending ? 'Attaching…' : 'Attach a file'}
        <input
          type="file"
          className="sr-only"
          disabled={upload.isPending}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) upload.mutate(file);
            event.target.value = '';
          }}
        />
      </label>
    </section>
  );
}
