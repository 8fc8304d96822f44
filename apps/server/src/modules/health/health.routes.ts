import { endpoints, type Health, type HealthDependency } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { ServiceContext } from '../../core/service-context.js';
import { findLatestEventSeq } from '../../events/event.repository.js';
import type { EventTailer } from '../../events/event-tailer.js';
import { registerEndpoint } from '../../http/register-endpoint.js';

export interface HealthRouteOptions {
  context: ServiceContext;
  version: string;
  /** The instance's event reader, when it runs one. */
  tailer?: EventTailer | undefined;
  /** The Redis connection (rate limits), when REDIS_URL is set. */
  redis?: Redis | undefined;
}

const roundMs = (started: number) => Math.round((performance.now() - started) * 100) / 100;
const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function withTimeout<Value>(promise: Promise<Value>, milliseconds: number): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness and dependency status, for load balancers and humans. Only a database outage answers
 * 503: without Redis the rate limits let requests through, and without the LISTEN connection the
 * tailer still reads every second, so the instance keeps serving (status "degraded").
 */
export async function healthRoutes(app: FastifyInstance, { context, version, tailer, redis }: HealthRouteOptions): Promise<void> {
  const startedAt = Date.now();
  registerEndpoint(app, endpoints.getHealth, async (_request, reply) => {
    let started = performance.now();
    let database: HealthDependency;
    let committedSeq: number | undefined;
    try {
      await withTimeout(sql`select 1`.execute(context.db), 5_000);
      database = { status: 'up', latencyMs: roundMs(started) };
      if (tailer) committedSeq = await findLatestEventSeq(context.db);
    } catch (error) {
      database = { status: 'down', error: describeError(error) };
    }

    let redisStatus: HealthDependency | undefined;
    if (redis) {
      started = performance.now();
      try {
        // A disconnected client would queue the command; say so at once instead.
        if (redis.status !== 'ready') throw new Error(`connection is ${redis.status}`);
        await withTimeout(redis.ping(), 1_000);
        redisStatus = { status: 'up', latencyMs: roundMs(started) };
      } catch (error) {
        redisStatus = { status: 'down', error: describeError(error) };
      }
    }

    let eventStream: Health['eventStream'];
    if (tailer) {
      const state = tailer.status();
      eventStream = {
        status: state.listening === false ? 'down' : 'up',
        ...(state.listening === false ? { error: 'not listening for other instances’ commits: reading every second instead' } : {}),
        ...state,
        ...(committedSeq !== undefined ? { lagEvents: Math.max(0, committedSeq - state.latestSeq) } : {}),
      };
    }

    const healthy = database.status === 'up';
    const degraded = !healthy || redisStatus?.status === 'down' || eventStream?.status === 'down';
    return reply.status(healthy ? 200 : 503).send({
      status: degraded ? 'degraded' : 'ok',
      version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      database: { ...database, engine: context.engine },
      ...(redisStatus ? { redis: redisStatus } : {}),
      ...(eventStream ? { eventStream } : {}),
    } satisfies Health);
  });
}
