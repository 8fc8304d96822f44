import { endpoints, type WorkingState } from '@mission-control/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../http/app-error.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { WorkingStateService } from './working-state.service.js';

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

function setVersionHeaders(reply: FastifyReply, state: WorkingState): void {
  // The ETag names the notes version (what If-Match compares); the rendered file also moves with
  // the board, so caches must always revalidate.
  reply.header('etag', `"${state.version}"`).header('cache-control', 'no-cache');
}

export async function workingStateRoutes(app: FastifyInstance, { workingState }: { workingState: WorkingStateService }): Promise<void> {
  registerEndpoint(app, endpoints.getWorkingState, async (request, reply) => {
    const state = await workingState.getWorkingState(request.principal);
    setVersionHeaders(reply, state);
    if (prefersMarkdown(request.headers.accept)) return reply.type('text/markdown; charset=utf-8').send(state.markdown);
    return state;
  });

  registerEndpoint(app, endpoints.updateWorkingStateNotes, async (request, reply) => {
    const state = await workingState.updateNotes(request.principal, {
      notes: request.body.notes,
      expectedVersion: parseIfMatch(request.headers['if-match']),
    });
    setVersionHeaders(reply, state);
    return state;
  });

  registerEndpoint(app, endpoints.listWorkingStateVersions, async (request) => workingState.listVersions(request.principal, request.query));

  registerEndpoint(app, endpoints.getWorkingStateVersion, async (request) =>
    workingState.getVersion(request.principal, request.params.version),
  );

  registerEndpoint(app, endpoints.restoreWorkingStateVersion, async (request, reply) => {
    const state = await workingState.restoreVersion(request.principal, request.params.version, parseIfMatch(request.headers['if-match']));
    setVersionHeaders(reply, state);
    return state;
  });
}
