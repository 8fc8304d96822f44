import { z } from 'zod';
import { pageSchema } from '../common.js';
import {
  listWorkingStateVersionsQuerySchema,
  updateWorkingStateSchema,
  workingStateSchema,
  workingStateVersionParamsSchema,
  workingStateVersionSchema,
  workingStateVersionSummarySchema,
} from '../working-state.js';
import { defineEndpoint, type RequestHeader } from './define-endpoint.js';

const tag = 'working-state';

/** The notes version the caller edited, for optimistic concurrency. */
const ifMatchHeader = {
  'if-match': {
    description:
      'The notes version you edited, as answered in the ETag: `"3"` (`3` is accepted too). Without it the answer is 428; when the notes moved on since, 412.',
    schema: z.string().optional(),
  },
} as const satisfies Record<string, RequestHeader>;

const theWorkingState = {
  200: {
    description: 'The working state after the write; the ETag is the new notes version',
    schema: workingStateSchema,
    headers: ['ETag', 'Cache-Control'],
  },
} as const;

export const getWorkingState = defineEndpoint({
  operationId: 'getWorkingState',
  method: 'GET',
  path: '/api/v1/state/working-md',
  tag,
  auth: 'any',
  summary: 'Read the shared WORKING.md',
  description:
    'The live state of the workspace rendered as markdown (agents, tasks by column, recent activity) plus the notes section everyone edits. With `Accept: text/markdown` the answer is the rendered file alone. The ETag is the notes version: send it back in If-Match to change the notes. The file moves with the board, so caches must revalidate.',
  responses: {
    200: {
      description: 'The working state; with Accept: text/markdown, the rendered file alone',
      schema: workingStateSchema,
      alternatives: { 'text/markdown': z.string() },
      headers: ['ETag', 'Cache-Control'],
    },
  },
  errors: [],
});

export const updateWorkingStateNotes = defineEndpoint({
  operationId: 'updateWorkingStateNotes',
  method: 'PUT',
  path: '/api/v1/state/working-md',
  tag,
  auth: 'any',
  summary: 'Replace the notes section of WORKING.md',
  description:
    'Send If-Match with the version you edited. When someone wrote since, the answer is 412 PRECONDITION_FAILED with `details.currentVersion` and `details.currentNotes`: merge your edit into them and send it again with the new version. Notes equal to the current ones make no new version. Viewers cannot write.',
  headers: ifMatchHeader,
  body: updateWorkingStateSchema,
  responses: theWorkingState,
  errors: ['FORBIDDEN', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED'],
});

export const listWorkingStateVersions = defineEndpoint({
  operationId: 'listWorkingStateVersions',
  method: 'GET',
  path: '/api/v1/state/working-md/versions',
  tag,
  auth: 'any',
  summary: 'List every version of the notes, newest first',
  description: 'Each version with its author, time and length, without the notes. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listWorkingStateVersionsQuerySchema,
  responses: { 200: { description: 'A page of versions without their notes', schema: pageSchema(workingStateVersionSummarySchema) } },
  errors: [],
});

export const getWorkingStateVersion = defineEndpoint({
  operationId: 'getWorkingStateVersion',
  method: 'GET',
  path: '/api/v1/state/working-md/versions/{version}',
  tag,
  auth: 'any',
  summary: 'Get one version of the notes',
  description: 'Versions are numbered from 1. List the versions to see which exist.',
  params: workingStateVersionParamsSchema,
  responses: { 200: { description: 'The version with its notes', schema: workingStateVersionSchema } },
  errors: ['WORKING_STATE_VERSION_NOT_FOUND'],
});

export const restoreWorkingStateVersion = defineEndpoint({
  operationId: 'restoreWorkingStateVersion',
  method: 'POST',
  path: '/api/v1/state/working-md/versions/{version}/restore',
  tag,
  auth: 'any',
  summary: "Make an old version's notes current again, as a new version",
  description:
    'History is never rewritten: the old notes become a new version. Send If-Match with the current version you looked at; 412 PRECONDITION_FAILED when the notes moved on since, 428 without it. Viewers cannot write.',
  headers: ifMatchHeader,
  params: workingStateVersionParamsSchema,
  responses: theWorkingState,
  errors: ['FORBIDDEN', 'WORKING_STATE_VERSION_NOT_FOUND', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED'],
});
