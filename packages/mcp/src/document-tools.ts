import {
  createDocumentSchema,
  type Document,
  type DocumentVersion,
  documentSchema,
  documentVersionSchema,
  idSchema,
  markdownSchema,
  taskReferenceSchema,
  updateDocumentSchema,
  updateWorkingStateSchema,
  workingStateSchema,
} from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { invalidInput, runTool, toolResult } from './results.js';
import { additiveTool, destructiveTool, readOnlyTool } from './tool-annotations.js';

/** The latest version of a document in the shape of an older one, so read_document answers one shape. */
function latestVersionOf(document: Document): DocumentVersion {
  return {
    documentId: document.id,
    version: document.version,
    title: document.title,
    content: document.content,
    type: document.type,
    author: document.author,
    createdAt: document.updatedAt,
  };
}

/** write_document, read_document, read_working_state, update_working_state. */
export function createDocumentTools(client: MissionControl): AgentTool[] {
  return [
    defineAgentTool({
      name: 'write_document',
      title: 'Write a document',
      description:
        'Create a markdown document (give title and content, optionally taskId to attach it) or, with documentId, write a new version of one. ' +
        "Pass baseVersion (the version you read) to avoid overwriting someone else's edit. Use documents for deliverables and research that outlive a message. Returns the document with its id and version.",
      inputSchema: {
        documentId: idSchema.optional().describe('Leave out to create a new document'),
        title: createDocumentSchema.shape.title.optional().describe('Required when creating'),
        content: markdownSchema.describe('The full markdown content'),
        type: createDocumentSchema.shape.type.unwrap().optional(),
        taskId: taskReferenceSchema.optional().describe('Attach the document to this task'),
        baseVersion: updateDocumentSchema.shape.baseVersion,
      },
      outputSchema: { document: documentSchema },
      // A new version keeps the old ones, so writing adds rather than destroys.
      annotations: additiveTool,
      run: ({ documentId, title, content, type, taskId, baseVersion }) =>
        runTool(async () => {
          if (!documentId && !title) return invalidInput('give a title to create a document, or a documentId to update one.');
          const document = documentId
            ? await client.documents.update(documentId, {
                content,
                ...(title ? { title } : {}),
                ...(type ? { type } : {}),
                ...(taskId ? { taskId } : {}),
                ...(baseVersion ? { baseVersion } : {}),
              })
            : await client.documents.create({ title: title ?? '', content, ...(type ? { type } : {}), ...(taskId ? { taskId } : {}) });
          return toolResult(
            `Wrote "${document.title}" version ${document.version} (id ${document.id}).`,
            { id: document.id, title: document.title, version: document.version, taskId: document.taskId, type: document.type },
            { document },
          );
        }),
    }),

    defineAgentTool({
      name: 'read_document',
      title: 'Read a document',
      description:
        'Read a document by id (the latest version, or an older one with version). To find documents of a task, read_task first or ask for the id. Returns the title, version and markdown content.',
      inputSchema: { documentId: idSchema, version: z.number().int().min(1).optional().describe('An older version') },
      outputSchema: { document: documentVersionSchema },
      annotations: readOnlyTool,
      run: ({ documentId, version }) =>
        runTool(async () => {
          const document =
            version === undefined
              ? latestVersionOf(await client.documents.get(documentId))
              : await client.documents.getVersion(documentId, version);
          return toolResult(`"${document.title}" version ${document.version}:\n\n${document.content}`, undefined, { document });
        }),
    }),

    defineAgentTool({
      name: 'read_working_state',
      title: 'Read WORKING.md',
      description:
        "Read the team's shared WORKING.md: agents and their status, tasks by column, recent activity, and the notes everyone keeps. Read it at the start of a session and before updating it. " +
        'Returns the markdown and the notes version (pass it to update_working_state).',
      inputSchema: {},
      outputSchema: workingStateSchema.shape,
      annotations: readOnlyTool,
      run: () =>
        runTool(async () => {
          const state = await client.workingState.get();
          return toolResult(`WORKING.md, notes version ${state.version}:\n\n${state.markdown}`, undefined, state);
        }),
    }),

    defineAgentTool({
      name: 'update_working_state',
      title: 'Update WORKING.md notes',
      description:
        "Replace the notes section of WORKING.md (the team's shared plan and state). Read it first (read_working_state) and pass the version you read; " +
        'if someone wrote since, you get PRECONDITION_FAILED: read again, merge, retry. Returns the new version.',
      inputSchema: {
        notes: updateWorkingStateSchema.shape.notes,
        version: z.number().int().min(0).describe('The notes version you read'),
      },
      outputSchema: workingStateSchema.shape,
      annotations: destructiveTool,
      run: ({ notes, version }) =>
        runTool(async () => {
          const state = await client.workingState.update({ notes, version });
          return toolResult(`Saved the notes as version ${state.version}.`, undefined, state);
        }),
    }),
  ];
}
