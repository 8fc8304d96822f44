import { z } from 'zod';
import { activitySchema } from './activities.js';
import { timestampSchema } from './common.js';

/**
 * What the WebSocket endpoints send: `GET /api/v1/ws/activities` (the whole workspace) and
 * `GET /api/v1/ws/agents/{agentId}` (what concerns one agent). Authenticate with a first message
 * `{"type":"auth","token":"<access token or API key>"}` within 5 s of opening (no secret in any
 * URL or header), an Authorization header, or as a fallback `?token=`; resume with `?after=<seq>`
 * to receive everything after that sequence first, then live events, in order and without duplicates.
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
  data: z.object({
    code: z.string(),
    message: z.string(),
    latestSeq: z.number().int().optional().describe('With CURSOR_AHEAD: the newest sequence the server has; resume after it'),
  }),
});

export const streamMessageSchema = z.discriminatedUnion('type', [
  streamEventMessageSchema,
  streamReadyMessageSchema,
  streamErrorMessageSchema,
]);
export type StreamMessage = z.infer<typeof streamMessageSchema>;

/** The first message a client sends to authenticate a socket opened without a credential. */
export const streamAuthMessageSchema = z.object({
  type: z.literal('auth'),
  token: z.string().min(1).max(4_096).describe('An access token or an API key'),
  timestamp: z
    .string()
    .max(20)
    .optional()
    .describe('For a key that requires signed requests: the Unix time (seconds) the upgrade request was signed at'),
  nonce: z.string().max(64).optional().describe('For a key that requires signed requests: the nonce the upgrade request was signed with'),
  signature: z
    .string()
    .max(200)
    .optional()
    .describe('For a key that requires signed requests: v1=<hex HMAC> of the upgrade request (GET, its path and query, no body)'),
});
export type StreamAuthMessage = z.infer<typeof streamAuthMessageSchema>;

/**
 * Close codes of the event stream (4000–4999 are the application's): a refused or no longer valid
 * credential, lost access, an unknown agent, a resume point ahead of the server, a slow consumer,
 * too many streams.
 */
export const streamCloseCodes = {
  slowConsumer: 4008,
  credentialInvalid: 4401,
  accessLost: 4403,
  notFound: 4404,
  cursorAhead: 4409,
  tooManySubscriptions: 4429,
} as const;

/**
 * Where the event streams are served, as endpoint paths (fill them with `buildEndpointPath`):
 * the whole workspace, and what concerns one agent.
 */
export const streamPaths = {
  activities: '/api/v1/ws/activities',
  agent: '/api/v1/ws/agents/{agentId}',
} as const;
