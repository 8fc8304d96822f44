import {
  errorBodySchema,
  listWorkingStateVersionsQuerySchema,
  pageSchema,
  updateWorkingStateSchema,
  type WorkingState,
  workingStateSchema,
  workingStateVersionParamsSchema,
  workingStateVersionSchema,
  workingStateVersionSummarySchema,
} from '@mission-control/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import type { WorkingStateService } from './working-state.service.js';

const tags = ['working-state'];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const writeErrors = { ...errors, 412: errorBodySchema, 428: errorBodySchema };

// Loose: the other headers (Authorization, Idempotency-Key) must survive validation untouched.
const ifMatchHeadersSchema = z.looseObject({
  'if-match': z.string().optional().describe('The notes version you edited, as answered in the ETag: "3" (3 is accepted too)'),
});

/** `If-Match: "3"` or `If-Match: 3` → 3; no header → undefined (the service answers 428). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:"(\d{1,10})"|(\d{1,10}))\s*$/.exec(header);
  const digits = match?.[1] ?? match?.[2];
  const version = digits === undefined ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(version) || version > 2_147_483_647) {
    throw new AppError(
      'VALIDATION_FAILED',
      `If-Match must be the notes version you read, such as If-Match: "3". Read it from GET /api/v1/state/working-md (the ETag header).`,
      { ifMatch: header.slice(0, 100) },
    );
  }
  return version;
}

/** Markdown when the client asks for it first (`Accept: text/markdown`), JSON otherwise. */
function prefersMarkdown(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .filter(Boolean);
  const markdown = types.indexOf('text/markdown');
  const json = types.indexOf('application/json');
  return markdown !== -1 && (json === -1 || markdown < json);
}

function withVersionHeaders(reply: FastifyReply, state: WorkingState): FastifyReply {
  // The ETag names the notes version (what If-Match compares); the rendered file also moves with
  // the board, so caches must always revalidate.
  return reply.header('etag', `"${state.version}"`).header('cache-control', 'no-cache');
}

export const workingStateRoutes: FastifyPluginAsyncZod<{ workingState: WorkingStateService }> = async (app, { workingState }) => {
  app.get(
    '/state/working-md',
    {
      schema: {
        tags,
        summary: 'The shared WORKING.md: live agents, tasks by column, recent activity and notes (Accept: text/markdown for the raw file)',
        response: {
          200: {
            description: 'The working state; with Accept: text/markdown, the rendered file alone',
            content: { 'application/json': { schema: workingStateSchema }, 'text/markdown': { schema: z.string() } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const state = await workingState.getWorkingState(request.principal);
      withVersionHeaders(reply, state);
      if (prefersMarkdown(request.headers.accept)) return reply.type('text/markdown; charset=utf-8').send(state.markdown);
      return state;
    },
  );

  app.put(
    '/state/working-md',
    {
      schema: {
        tags,
        summary: 'Replace the notes section; send If-Match with the version you edited (412 when it is no longer current)',
        headers: ifMatchHeadersSchema,
        body: updateWorkingStateSchema,
        response: { 200: workingStateSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const state = await workingState.updateNotes(request.principal, {
        notes: request.body.notes,
        expectedVersion: parseIfMatch(request.headers['if-match']),
      });
      return withVersionHeaders(reply, state).send(state);
    },
  );

  app.get(
    '/state/working-md/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the notes, newest first',
        querystring: listWorkingStateVersionsQuerySchema,
        response: { 200: pageSchema(workingStateVersionSummarySchema), ...errors },
      },
    },
    async (request) => workingState.listVersions(request.principal, request.query),
  );

  app.get(
    '/state/working-md/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version of the notes',
        params: workingStateVersionParamsSchema,
        response: { 200: workingStateVersionSchema, ...errors },
      },
    },
    async (request) => workingState.getVersion(request.principal, request.params.version),
  );

  app.post(
    '/state/working-md/versions/:version/restore',
    {
      schema: {
        tags,
        summary: "Make an old version's notes current again, as a new version; send If-Match with the current version",
        headers: ifMatchHeadersSchema,
        params: workingStateVersionParamsSchema,
        response: { 200: workingStateSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const state = await workingState.restoreVersion(request.principal, request.params.version, parseIfMatch(request.headers['if-match']));
      return withVersionHeaders(reply, state).send(state);
    },
  );
};
