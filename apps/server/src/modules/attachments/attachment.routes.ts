import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../http/app-error.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { AttachmentService, IncomingFile } from './attachment.service.js';

export interface AttachmentRouteOptions {
  attachments: AttachmentService;
  /** The largest file accepted, in bytes (MISSION_ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
}

/** Types a browser would run or render as a page: served as plain bytes so they never execute on our origin. */
const activeContentPattern = /html|svg|xml|javascript|ecmascript/i;

export function servedContentType(type: string): string {
  return activeContentPattern.test(type) ? 'application/octet-stream' : type;
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 encoding. */
export function contentDisposition(name: string): string {
  const asciiName = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encodedName = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodedName}`;
}

async function readUploadedFile(request: FastifyRequest, maxBytes: number): Promise<IncomingFile> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in a part named "file".');
  }
  const part = await request.file();
  if (part?.fieldname !== 'file') {
    throw new AppError('VALIDATION_FAILED', 'Send the file in a multipart part named "file".', {
      issues: [{ path: ['file'], message: 'Required' }],
    });
  }
  try {
    return { name: part.filename, content: await part.toBuffer() };
  } catch (error) {
    if (error instanceof request.server.multipartErrors.RequestFileTooLargeError || part.file.truncated) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The file is larger than ${maxBytes} bytes, the most this server accepts. Send a smaller file.`,
      );
    }
    throw error;
  }
}

export async function attachmentRoutes(app: FastifyInstance, { attachments, maxBytes }: AttachmentRouteOptions): Promise<void> {
  // Registered here, not app-wide: only these routes take multipart bodies.
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } });

  // Every POST here is an upload. The file is read before the preHandlers, so the Idempotency-Key
  // check fingerprints it: the body it hashes is the file's name, size and SHA-256, and the same
  // key with another file answers 422 IDEMPOTENCY_KEY_REUSED instead of the first file's answer.
  const uploads = new WeakMap<FastifyRequest, IncomingFile>();
  app.addHook('preValidation', async (request) => {
    if (request.method !== 'POST') return;
    const file = await readUploadedFile(request, maxBytes);
    uploads.set(request, file);
    request.body = {
      file: { name: file.name, size: file.content.length, sha256: createHash('sha256').update(file.content).digest('hex') },
    };
  });
  const uploadedFile = (request: FastifyRequest): IncomingFile => {
    const file = uploads.get(request);
    if (!file) throw new Error('the upload hook did not run for this request');
    return file;
  };

  registerEndpoint(app, endpoints.uploadTaskAttachment, async (request) =>
    attachments.attachToTask(request.principal, request.params.id, uploadedFile(request)),
  );
  registerEndpoint(app, endpoints.uploadMessageAttachment, async (request) =>
    attachments.attachToMessage(request.principal, request.params.id, uploadedFile(request)),
  );
  registerEndpoint(app, endpoints.deleteAttachment, async (request) => {
    await attachments.deleteAttachment(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.listTaskAttachments, async (request) =>
    attachments.listTaskAttachments(request.principal, request.params.id),
  );
  registerEndpoint(app, endpoints.downloadAttachment, async (request, reply) => {
    const { attachment, content } = await attachments.openAttachment(request.principal, request.params.id);
    return reply
      .header('Content-Disposition', contentDisposition(attachment.name))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Length', attachment.size)
      .type(servedContentType(attachment.type))
      .send(content);
  });
}
