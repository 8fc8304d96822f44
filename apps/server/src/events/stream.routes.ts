import {
  type Activity,
  type ErrorCode,
  type StreamAuthMessage,
  signatureHeader,
  signatureNonceHeader,
  signatureTimestampHeader,
  streamAuthMessageSchema,
  streamPaths,
} from '@mission-control/contracts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { assertKeyAddress, assertMfaEnrolled, assertRolePermission } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import { emptyBodyHash, verifySignedRequest } from '../auth/request-signature.js';
import { isAppError } from '../http/app-error.js';
import { toFastifyPath } from '../http/register-endpoint.js';
import type { Services } from '../services.js';
import type { CredentialWatcher } from './credential-watcher.js';
import { CursorAheadError, closeCodes, type StreamHub, SubscriptionLimitError } from './stream-hub.js';

const streamQuerySchema = z.object({
  token: z.string().min(1).max(2_048).optional(),
  after: z.coerce.number().int().min(0).optional(),
});

export interface StreamRouteOptions {
  services: Services;
  hub: StreamHub;
  credentials: CredentialWatcher;
  pingIntervalMs?: number;
  /** How long a socket opened without a credential may take to send its auth message. */
  authTimeoutMs?: number;
}

const firstMessageHint =
  'Send {"type":"auth","token":"<access token or API key>"} as the first message within 5 s (or, as a fallback, ?token=).';

function sendErrorAndClose(socket: WebSocket, code: number, errorCode: ErrorCode, message: string, extra: { latestSeq?: number } = {}) {
  if (socket.readyState !== socket.OPEN) return;
  socket.send(JSON.stringify({ type: 'error', seq: null, at: new Date().toISOString(), data: { code: errorCode, message, ...extra } }));
  // A close reason is at most 123 bytes: cut on a character, never inside one.
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  socket.close(code, reason);
}

/** The `{"type":"auth","token":…}` message, or undefined for anything else. */
function readAuthMessage(text: string): StreamAuthMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = streamAuthMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** Marks notifications delivered in batches, after they went out on their recipient's socket. */
function createDeliveryRecorder(services: Services, log: (error: unknown) => void) {
  const pending = new Set<string>();
  let scheduled = false;
  return (notificationId: string) => {
    pending.add(notificationId);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const ids = [...pending];
      pending.clear();
      services.notifications.markDelivered(ids).catch(log);
    });
  };
}

/** The notification this event announces to the principal, or undefined when it is not for them. */
function notificationFor(activity: Activity, principal: Principal): string | undefined {
  if (activity.type !== 'notification-created') return undefined;
  const { recipient, notificationId } = activity.data;
  return recipient.kind === principal.kind && recipient.id === principal.id ? notificationId : undefined;
}

/** `/api/v1/ws/activities` and `/api/v1/ws/agents/:agentId`: the event stream over WebSockets. */
export const streamRoutes: FastifyPluginAsync<StreamRouteOptions> = async (
  app,
  { services, hub, credentials, pingIntervalMs = 30_000, authTimeoutMs = 5_000 },
) => {
  const recordDelivery = createDeliveryRecorder(services, (error) =>
    app.log.error({ err: error }, 'marking notifications delivered failed'),
  );

  async function open(
    socket: WebSocket,
    request: Pick<FastifyRequest, 'headers' | 'query' | 'ip' | 'url' | 'raw'>,
    scope: { agentId?: string },
  ) {
    // Listen for the close before anything async: a client that hangs up while we authenticate
    // must not leave a subscription (and a slot of its principal's cap) behind.
    let closed = false;
    const cleanups: (() => void)[] = [];
    socket.on('close', () => {
      closed = true;
      for (const cleanup of cleanups.splice(0)) cleanup();
    });
    const query = streamQuerySchema.safeParse(request.query);
    if (!query.success) {
      sendErrorAndClose(socket, 1008, 'VALIDATION_FAILED', 'after must be a sequence number (an integer ≥ 0).');
      return;
    }
    const header = request.headers.authorization;
    const given = query.data.token ?? (typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined);
    // Listen for messages at once too: the first one may be the credential.
    let awaitingCredential: ((credential: string) => void) | undefined;
    let signedAuth: StreamAuthMessage | undefined;
    socket.on('message', (raw) => {
      const text = raw.toString();
      if (awaitingCredential) {
        const resolve = awaitingCredential;
        awaitingCredential = undefined;
        const message = readAuthMessage(text);
        if (message) {
          signedAuth = message;
          resolve(message.token);
        } else sendErrorAndClose(socket, closeCodes.credentialInvalid, 'UNAUTHENTICATED', firstMessageHint);
        return;
      }
      // Clients may send an application-level ping; everything else is ignored.
      if (text === '{"type":"ping"}') socket.send(JSON.stringify({ type: 'pong', seq: null, at: new Date().toISOString(), data: {} }));
    });
    const credential =
      given ??
      (await new Promise<string | undefined>((resolve) => {
        const timer = setTimeout(() => {
          awaitingCredential = undefined;
          resolve(undefined);
        }, authTimeoutMs);
        cleanups.push(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
        awaitingCredential = (token) => {
          clearTimeout(timer);
          resolve(token);
        };
      }));
    if (closed) return;
    if (!credential) {
      sendErrorAndClose(socket, closeCodes.credentialInvalid, 'UNAUTHENTICATED', firstMessageHint);
      return;
    }
    let principal: Principal;
    const checkedAtSeq = credentials.latestSeq;
    try {
      principal = await services.auth.authenticate(credential);
    } catch (error) {
      const code = isAppError(error) ? error.code : 'UNAUTHENTICATED';
      const message = isAppError(error) ? error.message : 'Authentication failed.';
      sendErrorAndClose(socket, closeCodes.credentialInvalid, code, message);
      return;
    }
    try {
      assertKeyAddress(principal, request.ip);
      const signingKey = principal.apiKey?.signingKey;
      if (principal.apiKey && signingKey) {
        // Signed in the upgrade's headers, or (browsers cannot set them) in the auth message.
        const headers = signedAuth?.signature
          ? {
              ...request.headers,
              [signatureTimestampHeader]: signedAuth.timestamp,
              [signatureNonceHeader]: signedAuth.nonce,
              [signatureHeader]: signedAuth.signature,
            }
          : request.headers;
        await verifySignedRequest(
          { headers, method: 'GET', url: request.url, raw: request.raw },
          { id: principal.apiKey.id, signingKey },
          emptyBodyHash,
          {
            clock: services.context.clock,
            rememberSignature: (hash, expiresAt) => services.auth.apiKeys.rememberRequestSignature(hash, expiresAt),
          },
        );
      }
    } catch (error) {
      const code = isAppError(error) ? error.code : 'UNAUTHENTICATED';
      const message = isAppError(error) ? error.message : 'Authentication failed.';
      sendErrorAndClose(socket, code === 'KEY_ADDRESS_NOT_ALLOWED' ? closeCodes.accessLost : closeCodes.credentialInvalid, code, message);
      return;
    }
    // A scoped key follows the stream only with activities.read, as it would read the feed.
    if (principal.scopes && !principal.scopes.includes('activities.read')) {
      sendErrorAndClose(
        socket,
        closeCodes.accessLost,
        'KEY_SCOPE_MISSING',
        'This API key lacks the scope activities.read needed to follow the stream.',
      );
      return;
    }
    try {
      assertRolePermission(principal.kind === 'user' ? principal.customRole : undefined, 'activities.read');
    } catch (error) {
      sendErrorAndClose(
        socket,
        closeCodes.accessLost,
        'ROLE_PERMISSION_MISSING',
        isAppError(error) ? error.message : 'Your role cannot follow the stream.',
      );
      return;
    }
    try {
      assertMfaEnrolled(principal, null);
    } catch (error) {
      sendErrorAndClose(
        socket,
        closeCodes.accessLost,
        'MFA_ENROLMENT_REQUIRED',
        isAppError(error) ? error.message : 'Set up a second factor first.',
      );
      return;
    }

    let filter: (activity: Activity) => boolean = () => true;
    let name = 'activities';
    if (scope.agentId) {
      const agentId = scope.agentId;
      if (principal.kind === 'agent' && principal.id !== agentId) {
        sendErrorAndClose(socket, closeCodes.notFound, 'FORBIDDEN', 'An agent can only follow its own stream.');
        return;
      }
      try {
        await services.agents.getAgent(principal, agentId);
      } catch {
        sendErrorAndClose(socket, closeCodes.notFound, 'AGENT_NOT_FOUND', 'No agent with this id in your workspace.');
        return;
      }
      const assignedTaskIds = new Set(await services.tasks.listOpenTaskIdsAssignedTo(principal, agentId));
      name = `agent:${agentId}`;
      filter = (activity) => {
        if ((activity.type === 'task-assigned' || activity.type === 'task-created') && activity.taskId) {
          if (activity.data.assignees.some((assignee) => assignee.kind === 'agent' && assignee.id === agentId)) {
            assignedTaskIds.add(activity.taskId);
          } else if (assignedTaskIds.delete(activity.taskId)) return true;
        }
        if (activity.type === 'task-deleted' && activity.taskId && assignedTaskIds.delete(activity.taskId)) return true;
        return (
          activity.agentId === agentId ||
          activity.actor?.id === agentId ||
          (activity.taskId !== null && assignedTaskIds.has(activity.taskId))
        );
      };
    }
    if (closed) return;

    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    const pinger = setInterval(() => {
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, pingIntervalMs);
    cleanups.push(() => clearInterval(pinger));

    let unsubscribe: (() => void) | undefined;
    cleanups.push(() => unsubscribe?.());
    // Watch the credential before replaying: a revocation during the replay closes the socket too.
    const stopWatching = await credentials.watch(
      {
        credential,
        principal,
        onRevoked: (revocation) => {
          unsubscribe?.();
          sendErrorAndClose(socket, revocation.closeCode, revocation.code, revocation.message);
        },
      },
      checkedAtSeq,
    );
    if (closed || socket.readyState !== socket.OPEN) {
      stopWatching();
      return;
    }
    cleanups.push(stopWatching);
    try {
      const subscriptionUnsubscribe = await hub.subscribe({
        principal,
        after: query.data.after,
        filter,
        name,
        sink: {
          send: (message) => socket.send(message),
          get bufferedBytes() {
            return socket.bufferedAmount;
          },
          close: (code, reason) => socket.close(code, reason),
        },
        onLive: (cursor) => {
          socket.send(JSON.stringify({ type: 'ready', seq: cursor, at: new Date().toISOString(), data: { subscription: name } }));
        },
        onSent: (activity) => {
          const notificationId = notificationFor(activity, principal);
          if (notificationId) recordDelivery(notificationId);
        },
      });
      if (closed || socket.readyState !== socket.OPEN) subscriptionUnsubscribe();
      else unsubscribe = subscriptionUnsubscribe;
    } catch (error) {
      stopWatching();
      clearInterval(pinger);
      if (error instanceof SubscriptionLimitError) {
        sendErrorAndClose(socket, closeCodes.tooManySubscriptions, 'SUBSCRIPTION_LIMIT', error.message);
        return;
      }
      if (error instanceof CursorAheadError) {
        sendErrorAndClose(socket, closeCodes.cursorAhead, 'CURSOR_AHEAD', error.message, { latestSeq: error.latestSeq });
        return;
      }
      app.log.error({ err: error }, 'opening a stream failed');
      sendErrorAndClose(socket, 1011, 'INTERNAL_ERROR', 'The stream could not start. Reconnect with after=<last seq>.');
    }
  }

  app.get(toFastifyPath(streamPaths.activities), { websocket: true, schema: { hide: true } }, (socket, request) => {
    void open(socket, request, {});
  });

  app.get<{ Params: { agentId: string } }>(
    toFastifyPath(streamPaths.agent),
    { websocket: true, schema: { hide: true } },
    (socket, request) => {
      const agentId = z.uuid().safeParse(request.params.agentId);
      if (!agentId.success) {
        sendErrorAndClose(socket, closeCodes.notFound, 'AGENT_NOT_FOUND', 'The agent id must be a UUID.');
        return;
      }
      void open(socket, request, { agentId: agentId.data });
    },
  );
};
