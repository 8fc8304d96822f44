import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { ServiceContext } from '../core/service-context.js';
import { beginRequestTransaction, type RequestTransaction } from '../db/request-transaction.js';
import type { Database } from '../db/schema.js';
import { AppError } from './app-error.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteIdempotencyKey,
  deleteIdempotencyKeysCreatedBy,
  findIdempotencyKey,
  takeOverIdempotencyKey,
} from './idempotency.repository.js';
import { hashRequest, secretNotReplayable, storableAnswer } from './idempotency-answer.js';

/** How long a key remembers its answer: long enough for any client's retries, short enough to keep the table small. */
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1_000;
/**
 * How long a repeat waits (on PostgreSQL) for the request that holds its key before it answers
 * 409: the holder's transaction ends within the time of one request, so only a stuck one lasts this long.
 */
export const defaultClaimWaitMs = 15_000;
/** Expired keys are swept at most this often, from the request path. */
const sweepIntervalMs = 60 * 60 * 1_000;
/** PostgreSQL's lock_not_available: the claim waited claimWaitLimit for the key's holder. */
const lockNotAvailable = '55P03';

const keyPattern = /^[\x20-\x7E]{1,255}$/;

interface IdempotencyClaim {
  principal: string;
  key: string;
  createdAt: string;
  /** The request's transaction: the claim, the work and the stored answer commit in it together. */
  transaction: RequestTransaction;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on routes whose answer cannot be stored and replayed (streams); their keys are ignored. */
    acceptsIdempotencyKey?: boolean;
    /** The answer field holding a secret shown once; a replay answers 409 instead of storing it. */
    oneTimeSecretField?: string;
    /** Other answer fields holding the same secret, left out with it. */
    oneTimeSecretCopies?: readonly string[];
  }
  interface FastifyRequest {
    /** Set while this request holds an Idempotency-Key; its answer is stored, and its transaction ended, when it is sent. */
    idempotencyClaim: IdempotencyClaim | null;
  }
}

/** Deletes keys that reached their lifetime (the same rule the request path applies). Runs from the request path hourly; a scheduler may call it too. */
export async function deleteExpiredIdempotencyKeys(context: Pick<ServiceContext, 'db' | 'clock'>): Promise<number> {
  return deleteIdempotencyKeysCreatedBy(context.db, new Date(context.clock.now().getTime() - idempotencyKeyLifetimeMs).toISOString());
}

function keyInUse(): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_IN_USE',
    'A request with this Idempotency-Key has been running for a long time. Wait for it to finish, then retry with the same key to get its answer.',
  );
}

function isLockTimeout(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === lockNotAvailable;
}

type ClaimOutcome =
  | { kind: 'claimed'; createdAt: string }
  | { kind: 'replay'; statusCode: number; body: string | null }
  | { kind: 'reused' };

/**
 * Claims the key inside the request's transaction. A concurrent holder of the same key has not
 * committed, so its row is invisible: the insert waits for it (PostgreSQL's primary key; SQLite's
 * one writer) and then sees its stored answer. A row still in progress that we can see was left
 * by a transaction that never committed its answer (a server before this design that died): it
 * is taken over at once.
 */
async function claimInTransaction(
  executor: Transaction<Database>,
  claim: { principal: string; key: string; requestHash: string; now: Date },
): Promise<ClaimOutcome> {
  const { principal, key, requestHash, now } = claim;
  const createdAt = now.toISOString();
  // A few rounds, because the row we collide with can vanish (rolled back, or expired) before we read it.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const claimed = await claimIdempotencyKey(executor, {
      principal,
      key,
      request_hash: requestHash,
      status: 'in_progress',
      status_code: null,
      response_body: null,
      created_at: createdAt,
    });
    if (claimed) return { kind: 'claimed', createdAt };
    const existing = await findIdempotencyKey(executor, principal, key);
    if (!existing) continue;
    if (now.getTime() - Date.parse(existing.created_at) >= idempotencyKeyLifetimeMs) {
      await deleteIdempotencyKey(executor, principal, key, existing.created_at);
      continue;
    }
    if (existing.request_hash !== requestHash) return { kind: 'reused' };
    if (existing.status === 'completed') return { kind: 'replay', statusCode: existing.status_code ?? 200, body: existing.response_body };
    if (await takeOverIdempotencyKey(executor, { principal, key, previousCreatedAt: existing.created_at, createdAt })) {
      return { kind: 'claimed', createdAt };
    }
  }
  throw keyInUse();
}

/**
 * Makes every POST in this context accept an `Idempotency-Key`. A request with a key runs in one
 * database transaction (docs/decisions/0007): the key is claimed in it, the handler's queries go to
 * it, and its answer is stored in it just before it commits, so a committed change always has its
 * answer and a crash leaves no trace of either. A repeat with the same method, path and body gets
 * the first answer (`Idempotency-Replayed: true`), after waiting for the first to finish if it
 * still runs; a different request with the key gets 422. Answers of 5xx (and 429) roll back
 * everything, so a retry runs again. A request without a key runs exactly as it would without
 * this hook. Call it on the context itself (not through register) after authentication, so the
 * principal is known.
 */
export function registerIdempotencyKeys(
  app: FastifyInstance,
  context: Pick<ServiceContext, 'db' | 'clock'>,
  options: { claimWaitMs?: number } = {},
): void {
  const { db } = context;
  const claimWaitLimit = `${Math.max(1, Math.round(options.claimWaitMs ?? defaultClaimWaitMs))}ms`;
  const clock: Clock = context.clock;
  let nextSweepAt = 0;

  app.decorateRequest('idempotencyClaim', null);

  /** Claims the key; answers the transaction to run the handler in, or undefined when the reply was sent (a replay). */
  async function claimKey(request: FastifyRequest, reply: FastifyReply, key: string): Promise<RequestTransaction | undefined> {
    const principal = `${request.principal.kind}:${request.principal.id}`;
    const requestHash = hashRequest(request);
    const now = clock.now();
    if (now.getTime() >= nextSweepAt) {
      nextSweepAt = now.getTime() + sweepIntervalMs;
      await deleteExpiredIdempotencyKeys(context);
    }

    const transaction = await beginRequestTransaction(db);
    let outcome: ClaimOutcome;
    try {
      const postgres = transaction.executor.getExecutor().adapter instanceof PostgresAdapter;
      if (postgres) await sql`set local lock_timeout = ${sql.lit(claimWaitLimit)}`.execute(transaction.executor);
      outcome = await claimInTransaction(transaction.executor, { principal, key, requestHash, now });
      if (postgres) await sql`set local lock_timeout to default`.execute(transaction.executor);
    } catch (error) {
      await transaction.rollback().catch(() => {});
      throw isLockTimeout(error) ? keyInUse() : error;
    }
    if (outcome.kind === 'claimed') {
      request.idempotencyClaim = { principal, key, createdAt: outcome.createdAt, transaction };
      return transaction;
    }
    // Nothing of ours to keep: only a replay or a refusal follows.
    await transaction.rollback();
    if (outcome.kind === 'reused') {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request (another method, path or body). Use a new key for a new operation.',
      );
    }
    if (request.routeOptions.config.oneTimeSecretField && outcome.statusCode < 300) throw secretNotReplayable(request, outcome.body);
    reply.code(outcome.statusCode).header('idempotency-replayed', 'true');
    if (outcome.body === null || outcome.body === '') reply.send();
    else reply.type('application/json; charset=utf-8').send(outcome.body);
    return undefined;
  }

  // Callback style on purpose: calling `done` inside the transaction's run() is what makes the
  // handler (and everything it starts) run with the database handle standing for the transaction.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' || request.routeOptions.config.acceptsIdempotencyKey === false) return done();
    const key = request.headers['idempotency-key'];
    if (key === undefined) return done();
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      return done(
        new AppError(
          'VALIDATION_FAILED',
          'Idempotency-Key must be 1 to 255 printable ASCII characters, such as a UUID. Use one key per operation and send the same key when you retry it.',
        ),
      );
    }
    claimKey(request, reply, key).then(
      // After a replay the reply is sent: the chain stops here, the handler never runs.
      (transaction) => transaction?.run(() => done()),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    const storable = payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload);
    if (reply.statusCode >= 500 || reply.statusCode === 429 || !storable) {
      // A failure is not an answer to remember: its changes go too, and the client's retry runs afresh.
      await claim.transaction
        .rollback()
        .catch((error: unknown) => request.log.error({ err: error }, 'rolling back a failed request failed'));
      return payload;
    }
    try {
      await completeIdempotencyKey(claim.transaction.executor, {
        principal: claim.principal,
        key: claim.key,
        createdAt: claim.createdAt,
        statusCode: reply.statusCode,
        responseBody: storableAnswer(request, reply.statusCode, payload),
      });
      await claim.transaction.commit();
      return payload;
    } catch (error) {
      request.log.error({ err: error }, 'committing an idempotent request failed');
      await claim.transaction.rollback().catch(() => {});
      reply.code(500).type('application/json; charset=utf-8');
      return JSON.stringify({
        error: {
          code: 'INTERNAL_ERROR',
          message: 'The server could not save this request. Retry it with the same Idempotency-Key: it runs once.',
        },
      });
    }
  });

  // onSend runs for every answer; this only catches a reply that ended some other way, so a
  // transaction (and on SQLite the one writer) is never left open.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotencyClaim;
    if (!claim) return;
    request.idempotencyClaim = null;
    request.log.error('an idempotent request ended without its answer being stored; its changes were rolled back');
    await claim.transaction.rollback().catch(() => {});
  });
}
