import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { ServiceContext } from '../core/service-context.js';
import { AppError } from './app-error.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteIdempotencyKey,
  deleteIdempotencyKeysCreatedBy,
  findIdempotencyKey,
  takeOverIdempotencyKey,
} from './idempotency.repository.js';

/** How long a key remembers its answer: long enough for any client's retries, short enough to keep the table small. */
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1_000;
/**
 * A claim still in progress after this long was left by a server that died mid-request (requests
 * finish in seconds), so a retry may take it over instead of getting 409 for a whole day.
 */
export const abandonedClaimAfterMs = 5 * 60 * 1_000;
/** Expired keys are swept at most this often, from the request path. */
const sweepIntervalMs = 60 * 60 * 1_000;

const keyPattern = /^[\x20-\x7E]{1,255}$/;

interface IdempotencyClaim {
  principal: string;
  key: string;
  createdAt: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on routes whose answer cannot be stored and replayed (streams); their keys are ignored. */
    acceptsIdempotencyKey?: boolean;
  }
  interface FastifyRequest {
    /** Set when this request claimed an Idempotency-Key; its answer is stored when it is sent. */
    idempotencyClaim: IdempotencyClaim | null;
  }
}

/** JSON with object keys sorted, so the same body always hashes the same. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`).join(',')}}`;
}

/** What makes two requests "the same": method, path with query, workspace and body. */
function hashRequest(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method}\n${request.url}\n${request.principal.workspaceId}\n${canonicalJson(request.body)}`)
    .digest('hex');
}

/** Deletes keys that reached their lifetime (the same rule the request path applies). Runs from the request path hourly; a scheduler may call it too. */
export async function deleteExpiredIdempotencyKeys(context: Pick<ServiceContext, 'db' | 'clock'>): Promise<number> {
  return deleteIdempotencyKeysCreatedBy(context.db, new Date(context.clock.now().getTime() - idempotencyKeyLifetimeMs).toISOString());
}

function keyInUse(): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_IN_USE',
    'A request with this Idempotency-Key is still running. Wait for it to finish, then retry with the same key to get its answer.',
  );
}

/**
 * Makes every POST in this context accept an `Idempotency-Key`. The first request claims the key
 * before it runs; a repeat with the same method, path and body gets the first answer again
 * (`Idempotency-Replayed: true`); a different request with the key gets 422; a repeat while the
 * first still runs gets 409, so two concurrent identical requests have one effect. Answers of
 * 5xx (and 429) are not kept, so a retry runs again. Call it on the context itself (not through
 * register) after authentication, so the principal is known.
 */
export function registerIdempotencyKeys(app: FastifyInstance, context: Pick<ServiceContext, 'db' | 'clock'>): void {
  const { db } = context;
  const clock: Clock = context.clock;
  let nextSweepAt = 0;

  app.decorateRequest('idempotencyClaim', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || request.routeOptions.config.acceptsIdempotencyKey === false) return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Idempotency-Key must be 1 to 255 printable ASCII characters, such as a UUID. Use one key per operation and send the same key when you retry it.',
      );
    }
    const principal = `${request.principal.kind}:${request.principal.id}`;
    const requestHash = hashRequest(request);
    const now = clock.now();
    if (now.getTime() >= nextSweepAt) {
      nextSweepAt = now.getTime() + sweepIntervalMs;
      await deleteExpiredIdempotencyKeys(context);
    }

    // A few rounds, because the row we collide with can vanish (released after a 5xx, or expired) before we read it.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const createdAt = now.toISOString();
      const claimed = await claimIdempotencyKey(db, {
        principal,
        key,
        request_hash: requestHash,
        status: 'in_progress',
        status_code: null,
        response_body: null,
        created_at: createdAt,
      });
      if (claimed) {
        request.idempotencyClaim = { principal, key, createdAt };
        return;
      }
      const existing = await findIdempotencyKey(db, principal, key);
      if (!existing) continue;
      const age = now.getTime() - Date.parse(existing.created_at);
      if (age >= idempotencyKeyLifetimeMs) {
        await deleteIdempotencyKey(db, principal, key, existing.created_at);
        continue;
      }
      if (existing.request_hash !== requestHash) {
        throw new AppError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used for a different request (another method, path or body). Use a new key for a new operation.',
        );
      }
      if (existing.status === 'completed') {
        reply.code(existing.status_code ?? 200).header('idempotency-replayed', 'true');
        if (existing.response_body === null || existing.response_body === '') return reply.send();
        return reply.type('application/json; charset=utf-8').send(existing.response_body);
      }
      if (age >= abandonedClaimAfterMs) {
        const takenOver = await takeOverIdempotencyKey(db, { principal, key, previousCreatedAt: existing.created_at, createdAt });
        if (takenOver) {
          request.idempotencyClaim = { principal, key, createdAt };
          return;
        }
      }
      throw keyInUse();
    }
    throw keyInUse();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    try {
      const storable = payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload);
      if (reply.statusCode >= 500 || reply.statusCode === 429 || !storable) {
        // A failure is not an answer to remember: free the key so the client's retry runs.
        await deleteIdempotencyKey(db, claim.principal, claim.key, claim.createdAt);
      } else {
        await completeIdempotencyKey(db, {
          principal: claim.principal,
          key: claim.key,
          createdAt: claim.createdAt,
          statusCode: reply.statusCode,
          responseBody: payload === null || payload === undefined ? null : String(payload),
        });
      }
    } catch (error) {
      // The request itself succeeded; failing it now would invite a retry that acts twice.
      request.log.error({ err: error }, 'storing the answer of an idempotent request failed');
    }
    return payload;
  });
}
