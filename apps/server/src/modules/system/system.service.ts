import type { Status, StatusDay, SystemMetrics, SystemMetricsQuery } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import {
  averagedResolutionSeconds,
  deleteHealthSamplesBefore,
  deleteSystemSamplesBefore,
  downsampleSystemSamples,
  findFirstHealthSampleAt,
  insertHealthSample,
  insertSystemSample,
  listLatestHealthSamples,
  listSampledInstances,
  listSystemSamples,
  rawResolutionSeconds,
  summarizeHealthDays,
} from './system.repository.js';
import type { SystemReading } from './system-probe.js';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** How long each kind of row is kept. */
export const systemRetention = { rawMs: dayMs, averagedMs: 7 * dayMs, healthMs: 90 * dayMs } as const;
/** An instance that has not sampled itself for this long is shown as down. */
const instanceDownAfterMs = 30_000;
/** A health sample older than this no longer says the API is up. */
const healthFreshMs = 2 * minuteMs;

export interface SystemInstanceIdentity {
  id: string;
  hostname: string;
}

export interface HealthProbeResult {
  apiUp: boolean;
  apiLatencyMs: number | null;
  databaseUp: boolean;
  /** null when the instance runs no event stream. */
  eventStreamUp: boolean | null;
  /** null when REDIS_URL is not set. */
  redisUp: boolean | null;
}

const toFlag = (value: boolean | null) => (value === null ? null : value ? 1 : 0);

export type SystemService = ReturnType<typeof createSystemService>;

export function createSystemService(context: ServiceContext) {
  const { db, clock } = context;

  return {
    /** Stores one raw sample of this instance at the clock's time. */
    async recordSystemSample(instance: SystemInstanceIdentity, reading: SystemReading): Promise<void> {
      await insertSystemSample(db, {
        instance_id: instance.id,
        resolution_seconds: rawResolutionSeconds,
        sampled_at: clock.now().getTime(),
        hostname: instance.hostname,
        cpu_percent: reading.cpuPercent,
        rss_bytes: reading.rssBytes,
        heap_used_bytes: reading.heapUsedBytes,
        heap_total_bytes: reading.heapTotalBytes,
        disk_free_bytes: reading.diskFreeBytes,
        disk_total_bytes: reading.diskTotalBytes,
        event_loop_delay_ms: reading.eventLoopDelayMs,
        event_loop_delay_p99_ms: reading.eventLoopDelayP99Ms,
        websocket_clients: reading.websocketClients,
        db_pool_total: reading.dbPoolTotal,
        db_pool_idle: reading.dbPoolIdle,
        db_pool_waiting: reading.dbPoolWaiting,
      });
    },

    async recordHealthSample(instance: SystemInstanceIdentity, result: HealthProbeResult): Promise<void> {
      await insertHealthSample(db, {
        instance_id: instance.id,
        sampled_at: clock.now().getTime(),
        api_up: result.apiUp ? 1 : 0,
        api_latency_ms: result.apiLatencyMs,
        database_up: result.databaseUp ? 1 : 0,
        event_stream_up: toFlag(result.eventStreamUp),
        redis_up: toFlag(result.redisUp),
      });
    },

    /**
     * The scheduled compaction: raw samples older than a day become 5-minute averages, averages
     * older than 7 days and health samples older than 90 days are deleted. Safe on several
     * instances at once (a bucket folded twice keeps its first row).
     */
    async compactSamples(): Promise<{ folded: number; deleted: number; deletedHealth: number }> {
      const now = clock.now().getTime();
      const bucketMs = averagedResolutionSeconds * 1000;
      const foldBefore = Math.floor((now - systemRetention.rawMs) / bucketMs) * bucketMs;
      return db.transaction().execute(async (trx) => {
        const folded = await downsampleSystemSamples(trx, foldBefore);
        const deleted = await deleteSystemSamplesBefore(trx, now - systemRetention.averagedMs);
        const deletedHealth = await deleteHealthSamplesBefore(trx, now - systemRetention.healthMs);
        return { folded, deleted, deletedHealth };
      });
    },

    async getSystemMetrics(principal: Principal, query: SystemMetricsQuery): Promise<SystemMetrics> {
      assertCan(principal, 'system:read');
      const now = clock.now().getTime();
      const to = query.to ? Date.parse(query.to) : now + 1;
      const from = query.from ? Date.parse(query.from) : to - hourMs;
      if (to <= from) throw new AppError('VALIDATION_FAILED', '`to` must be after `from`.');
      if (to - from > systemRetention.averagedMs) {
        throw new AppError('VALIDATION_FAILED', 'The range is at most 7 days: samples are not kept longer. Ask for a shorter range.');
      }
      const [instances, samples] = await Promise.all([
        listSampledInstances(db, now - systemRetention.averagedMs),
        listSystemSamples(db, from, to),
      ]);
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        instances: instances.map((instance) => ({
          instanceId: instance.instanceId,
          hostname: instance.hostname,
          lastSeenAt: new Date(instance.lastSeenAt).toISOString(),
          status: now - instance.lastSeenAt <= instanceDownAfterMs ? 'up' : 'down',
        })),
        samples: samples.map(({ hostname: _hostname, sampledAt, ...sample }) => ({
          ...sample,
          sampledAt: new Date(sampledAt).toISOString(),
        })),
      };
    },

    /** The public status, from the health samples every instance stores once a minute. */
    async getStatus(): Promise<Status> {
      const now = clock.now().getTime();
      const firstDay = Math.floor(now / dayMs) - 89;
      const [latest, days, firstSampleAt] = await Promise.all([
        listLatestHealthSamples(db, now - healthFreshMs),
        summarizeHealthDays(db, firstDay * dayMs),
        findFirstHealthSampleAt(db),
      ]);
      const checkedAt = latest.length > 0 ? new Date(Math.max(...latest.map((sample) => sample.sampledAt))).toISOString() : null;
      const component = (up: boolean) => ({ status: up ? ('up' as const) : ('down' as const), checkedAt });
      const api = latest.some((sample) => sample.apiUp);
      const database = latest.some((sample) => sample.databaseUp);
      const eventStream = latest.some((sample) => sample.eventStreamUp === true);
      const withRedis = latest.filter((sample) => sample.redisUp !== null);
      const redis = withRedis.length > 0 ? withRedis.some((sample) => sample.redisUp) : undefined;
      const byDay = new Map(days.map((day) => [day.day, day]));
      const currentMinute = Math.floor(now / minuteMs);
      let upTotal = 0;
      let expectedTotal = 0;
      const list: StatusDay[] = [];
      for (let day = firstDay; day <= Math.floor(now / dayMs); day += 1) {
        const row = byDay.get(day);
        // Minutes since sampling began (or the day's start) up to now, counting the current one.
        const startMinute = Math.max(
          day * (dayMs / minuteMs),
          firstSampleAt === null ? Number.POSITIVE_INFINITY : Math.floor(firstSampleAt / minuteMs),
        );
        const endMinute = Math.min((day + 1) * (dayMs / minuteMs) - 1, currentMinute);
        const expected = endMinute - startMinute + 1;
        const upMinutes = Math.min(row?.upMinutes ?? 0, Math.max(expected, 0));
        if (expected > 0) {
          upTotal += upMinutes;
          expectedTotal += expected;
        }
        list.push({
          day: new Date(day * dayMs).toISOString().slice(0, 10),
          uptimePercent: expected > 0 ? Math.round((upMinutes / expected) * 10_000) / 100 : null,
          p50LatencyMs: row?.p50LatencyMs ?? null,
          p95LatencyMs: row?.p95LatencyMs ?? null,
          samples: row?.samples ?? 0,
        });
      }
      const components = {
        api: component(api),
        eventStream: component(eventStream),
        database: component(database),
        ...(redis === undefined ? {} : { redis: component(redis) }),
      };
      const anyDown = !database || !eventStream || redis === false;
      return {
        status: !api ? 'down' : anyDown ? 'degraded' : 'operational',
        asOf: new Date(now).toISOString(),
        components,
        uptimePercent90Days: expectedTotal > 0 ? Math.round((upTotal / expectedTotal) * 10_000) / 100 : null,
        days: list,
      };
    },
  };
}
