import { endpoints, type FileAttachment } from '@mission-control/contracts';
import type { ResourceContext } from './auth.js';

/** What can be uploaded: a Blob or File (browsers, Node), or bytes (a Buffer is a Uint8Array). */
export type AttachmentContent = Blob | Uint8Array;

/** A downloaded attachment: its bytes and the name and type the server gave. */
export interface DownloadedAttachment {
  content: Blob;
  type: string;
  /** The file name from Content-Disposition (its UTF-8 form when given), or null without one. */
  name: string | null;
}

/** The file name of a Content-Disposition header: `filename*=UTF-8''…` first, else `filename="…"`. */
function fileNameOfDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed encoding falls back to the plain name.
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
}

function toForm(name: string, content: AttachmentContent): FormData {
  const form = new FormData();
  // The server sniffs the type from the bytes, so none is claimed here.
  form.append('file', content instanceof Blob ? content : new Blob([new Uint8Array(content)]), name);
  return form;
}

/** Files attached to tasks and messages. */
export class AttachmentsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.attachments`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Attaches a file to a task (by id or key). */
  uploadToTask(taskId: string, name: string, content: AttachmentContent): Promise<FileAttachment> {
    return this.context.transport.callWithForm(endpoints.uploadTaskAttachment, toForm(name, content), { params: { id: taskId } });
  }

  /** Attaches a file to a message. */
  uploadToMessage(messageId: string, name: string, content: AttachmentContent): Promise<FileAttachment> {
    return this.context.transport.callWithForm(endpoints.uploadMessageAttachment, toForm(name, content), { params: { id: messageId } });
  }

  /** Lists a task's attachments, its messages' included, oldest first. */
  async listForTask(taskId: string): Promise<FileAttachment[]> {
    return (await this.context.transport.call(endpoints.listTaskAttachments, { params: { id: taskId } })).data;
  }

  /** Downloads an attachment's bytes. */
  async download(attachmentId: string): Promise<DownloadedAttachment> {
    const response = await this.context.transport.callForBytes(endpoints.downloadAttachment, { params: { id: attachmentId } });
    return {
      content: response.value,
      type: response.headers.get('content-type') ?? 'application/octet-stream',
      name: fileNameOfDisposition(response.headers.get('content-disposition')),
    };
  }

  /** Deletes an attachment (its uploader, an admin or an owner). */
  async delete(attachmentId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteAttachment, { params: { id: attachmentId } });
  }
}
