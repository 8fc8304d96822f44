import { z } from 'zod';
import { activitySchema } from './activities.js';
import { timestampSchema } from './common.js';

/**
 * What the WebSocket endpoints send: `GET /api/v1/ws/activities` (the whole workspace) and
 * `GET /api/v1/ws/agents/{agentId}` (what concerns one agent). Authenticate with
 * `?token=<access token or API key>` (browsers cannot set headers on a WebSocket) or an
 * Authorization header; resume with `?after=<seq>` to receive everything after that sequence
 * first, then live events, in order and without duplicates.
 */
export const streamEventMessageSchema = z
  .object({
    type: z.literal('event'),
    seq: z.number().int(),
    at: timestampSchema,
    data: activitySchema,
  })
  .meta({ id: 'StreamEventMessage' });

/** Sent once the backlog after `after` has been replayed and the stream is live. */
export const streamReadyMessageSchema = z.object({
  type: z.literal('ready'),
  seq: z.number().int().describe('The last sequence replayed (or the `after` given)'),
  at: timestampSchema,
  data: z.object({ subscription: z.string() }),
});

/** Sent before the server closes a socket on purpose, saying why. */
export const streamErrorMessageSchema = z.object({
  type: z.literal('error'),
  seq: z.number().int().nullable(),
  at: timestampSchema,
  data: z.object({ code: z.string(), message: z.string() }),
});

export const streamMessageSchema = z.discriminatedUnion('type', [
  streamEventMessageSchema,
  streamReadyMessageSchema,
  streamErrorMessageSchema,
]);
export type StreamMessage = z.infer<typeof streamMessageSchema>;

/**
 * Where the event streams are served, as endpoint paths (fill them with `buildEndpointPath`):
 * the whole workspace, and what concerns one agent.
 */
export const streamPaths = {
  activities: '/api/v1/ws/activities',
  agent: '/api/v1/ws/agents/{agentId}',
} as const;
