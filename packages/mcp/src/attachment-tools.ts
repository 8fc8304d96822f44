import { fileAttachmentSchema, idSchema, taskReferenceSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { runTool, toolResult } from './results.js';
import { readOnlyTool } from './tool-annotations.js';

/** Bytes of an attachment handed to the model at most; the rest is cut, and the answer says so. */
export const attachmentReadLimitBytes = 200 * 1024;

/**
 * Whether an attachment is readable as text, by the type the server sniffed from its bytes: text/*
 * (markdown, CSV and JSON files are sniffed as text/plain) or a JSON, XML or YAML type.
 */
export function isTextAttachment(type: string): boolean {
  const media = type.split(';')[0]?.trim().toLowerCase() ?? '';
  return media.startsWith('text/') || /^application\/([\w.-]+\+)?(json|xml|yaml|x-yaml|x-ndjson)$/.test(media);
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
}

/** list_attachments, read_attachment: files people and agents attached to a task or its messages. */
export function createAttachmentTools(client: MissionControl): AgentTool[] {
  return [
    defineAgentTool({
      name: 'list_attachments',
      title: 'List a task’s attachments',
      description:
        'List the files attached to a task and to the messages in its thread, oldest first: each one’s id, name, type (sniffed from its content) and size. ' +
        'Read a text, markdown, JSON or CSV file with read_attachment.',
      inputSchema: { taskId: taskReferenceSchema.describe('The task, by id or key such as TASK-7') },
      outputSchema: { attachments: z.array(fileAttachmentSchema) },
      annotations: readOnlyTool,
      run: ({ taskId }) =>
        runTool(async () => {
          const attachments = await client.attachments.listForTask(taskId);
          if (attachments.length === 0)
            return toolResult(`No files are attached to ${taskId} or its messages.`, undefined, { attachments });
          const lines = attachments.map(
            (attachment) =>
              `- ${attachment.id} "${attachment.name}" (${attachment.type}, ${formatSize(attachment.size)}${attachment.messageId ? `, on message ${attachment.messageId}` : ''})`,
          );
          return toolResult(`${attachments.length} attachment(s):\n${lines.join('\n')}`, undefined, { attachments });
        }),
    }),

    defineAgentTool({
      name: 'read_attachment',
      title: 'Read an attachment',
      description:
        'Read a text attachment (plain text, markdown, JSON, CSV, YAML, code) by its id from list_attachments. ' +
        `Files longer than ${attachmentReadLimitBytes / 1024} KB are cut, and the answer says so. Binary files (images, PDFs, archives) are refused, naming their type.`,
      inputSchema: { attachmentId: idSchema.describe('The attachment id, from list_attachments') },
      outputSchema: {
        attachmentId: idSchema,
        name: z.string().nullable(),
        type: z.string().describe('The media type the server sniffed from the content'),
        size: z.number().int().describe('The whole file, in bytes'),
        truncated: z.boolean().describe(`True when only the first ${attachmentReadLimitBytes / 1024} KB are in text`),
        text: z.string(),
      },
      annotations: readOnlyTool,
      run: ({ attachmentId }) =>
        runTool(async () => {
          const file = await client.attachments.download(attachmentId);
          const label = file.name ? `"${file.name}"` : attachmentId;
          if (!isTextAttachment(file.type)) {
            return {
              isError: true,
              content: [
                {
                  type: 'text',
                  text: `error: ${label} is ${file.type}, not text: read_attachment only reads text, markdown, JSON and CSV files. Ask a person to describe it or attach it as text.`,
                },
              ],
            };
          }
          const bytes = new Uint8Array(await file.content.arrayBuffer());
          const cut = bytes.byteLength > attachmentReadLimitBytes;
          // A cut may fall inside a multi-byte character: the decoder's replacement character is dropped.
          let text = new TextDecoder('utf-8').decode(cut ? bytes.subarray(0, attachmentReadLimitBytes) : bytes);
          if (cut) text = text.replace(/\uFFFD$/, '');
          const header = cut
            ? `${label} (${file.type}, ${formatSize(bytes.byteLength)}): cut, showing the first ${attachmentReadLimitBytes / 1024} KB`
            : `${label} (${file.type}, ${formatSize(bytes.byteLength)})`;
          return toolResult(`${header}\n\n${text}`, undefined, {
            attachmentId,
            name: file.name ?? null,
            type: file.type,
            size: bytes.byteLength,
            truncated: cut,
            text,
          });
        }),
    }),
  ];
}
